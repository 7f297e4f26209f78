// Which local process listens on a TCP port (from /proc/net/tcp{,6} and /proc/<pid>/fd), so
// status can show pids of servers started by hand and errors can name who holds a port.
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { commandLine } from "./processes.js";

const LISTEN_STATE = "0A";

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (local === undefined || fields[3] !== LISTEN_STATE) continue;
      if (local.slice(local.lastIndexOf(":") + 1) === portHex && fields[9] !== undefined) {
        inodes.add(fields[9]);
      }
    }
  }
  inodes.delete("0");
  return inodes;
}

export interface PortOwner {
  readonly pid: number;
  readonly commandLine: string;
}

/** The process listening on `port`, when procfs lets us see it (best effort). */
export function portOwner(port: number): PortOwner | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const pidText of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pidText}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pidText}/fd/${fd}`);
        const match = /^socket:\[(\d+)\]$/.exec(target);
        if (match?.[1] !== undefined && inodes.has(match[1])) {
          const pid = Number(pidText);
          return { pid, commandLine: commandLine(pid) };
        }
      } catch {
        // fd closed meanwhile
      }
    }
  }
  return undefined;
}

/** "pid 123 (python3 -m http.server)" or "another process", for messages. */
export function describePortOwner(port: number): string {
  const owner = portOwner(port);
  if (owner === undefined) return "another process";
  const oneLine = owner.commandLine.replace(/\s+/g, " ").trim();
  const command = oneLine.length > 120 ? oneLine.slice(0, 117) + "…" : oneLine;
  return `pid ${owner.pid}${command === "" ? "" : ` (${command})`}`;
}
