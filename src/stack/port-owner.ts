// Which local process listens on a TCP port (from /proc/net/tcp{,6} and /proc/<pid>/fd), so
// status can show pids of servers started by hand and ownership.ts can tell who holds a port.
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { commandLine } from "./processes.js";

const LISTEN_STATE = "0A";

/** Listening sockets: inode → port. */
function listeningSockets(): Map<string, number> {
  const sockets = new Map<string, number>();
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
      const inode = fields[9];
      if (local === undefined || inode === undefined || inode === "0" || fields[3] !== LISTEN_STATE)
        continue;
      sockets.set(inode, parseInt(local.slice(local.lastIndexOf(":") + 1), 16));
    }
  }
  return sockets;
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const [inode, socketPort] of listeningSockets()) if (socketPort === port) inodes.add(inode);
  return inodes;
}

function socketInodes(pid: number | string): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes: string[] = [];
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1] !== undefined) inodes.push(match[1]);
    } catch {
      // fd closed meanwhile
    }
  }
  return inodes;
}

/** The TCP ports a process listens on (best effort; empty when procfs is not readable). */
export function listeningPorts(pid: number): number[] {
  const sockets = listeningSockets();
  const ports = new Set<number>();
  for (const inode of socketInodes(pid)) {
    const port = sockets.get(inode);
    if (port !== undefined) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
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
    if (socketInodes(pidText).some((inode) => inodes.has(inode))) {
      const pid = Number(pidText);
      return { pid, commandLine: commandLine(pid) };
    }
  }
  return undefined;
}
