// Long-lived server processes: spawned detached with output to a log file so they outlive the
// CLI, tracked by pid files, and stopped with SIGTERM then SIGKILL after a timeout.
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pollUntil } from "./probes.js";

export interface DetachedSpawn {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** stdout and stderr of the process are appended here. */
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Start a process in its own session (it survives its parent) and return its pid. */
export async function spawnDetached(options: DetachedSpawn): Promise<number> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const logFd = openSync(options.logFile, "a");
  try {
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ["ignore", logFd, logFd],
    });
    const pid = await new Promise<number>((resolvePid, reject) => {
      child.once("error", (error) =>
        reject(new Error(`cannot start ${options.command}: ${error.message}`)),
      );
      child.once("spawn", () => resolvePid(child.pid ?? -1));
    });
    child.unref();
    return pid;
  } finally {
    closeSync(logFd);
  }
}

/** Whether a process with this pid exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return true; // no procfs: trust kill(0)
  }
}

/** The arguments of a live process, program first ([] when unknown). */
export function commandArgs(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8")
      .split("\0")
      .filter((arg) => arg !== "");
  } catch {
    return [];
  }
}

/** The command line of a live process ("" when unknown), to check a pid file still means us. */
export function commandLine(pid: number): string {
  return commandArgs(pid).join(" ").trim();
}

export function writePidFile(path: string, pid: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${pid}\n`);
}

/** The pid recorded in a pid file, or undefined when the file is missing or not a pid. */
export function readPidFile(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The live process a pid file names, if its command line still contains `marker` (pids are
 * reused: a stale file must not make us signal an unrelated process).
 */
export function trackedPid(pidFile: string, marker: string): number | undefined {
  const pid = readPidFile(pidFile);
  if (pid === undefined || !isAlive(pid)) return undefined;
  const cmdline = commandLine(pid);
  if (cmdline !== "" && !cmdline.includes(marker)) return undefined;
  return pid;
}

export function removePidFile(path: string): void {
  rmSync(path, { force: true });
}

/** Wait until `pid` has exited; true when it did within the timeout. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

/** SIGTERM, then SIGKILL when the process is still alive after `graceMs`. */
export async function stopProcess(pid: number, graceMs: number): Promise<"terminated" | "killed"> {
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(pid, name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  };
  signal("SIGTERM");
  if (await waitForExit(pid, graceMs)) return "terminated";
  signal("SIGKILL");
  await waitForExit(pid, 5_000);
  return "killed";
}

/** SIGKILL right away (no graceful shutdown) and wait until the process is gone. */
export async function killProcess(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
  await waitForExit(pid, 5_000);
}

/** Stop the process a pid file tracks (SIGTERM, SIGKILL after `graceMs`); false if none ran. */
export async function stopTrackedProcess(
  pidFile: string,
  pid: number | undefined,
  graceMs: number,
): Promise<boolean> {
  if (pid !== undefined) await stopProcess(pid, graceMs);
  removePidFile(pidFile);
  return pid !== undefined;
}

/** After a server did not become ready: stop it if it still runs and describe the failure. */
export async function failedStartError(options: {
  readonly what: string;
  readonly pid: number;
  readonly pidFile: string;
  readonly timeoutMs: number;
  readonly graceMs: number;
  /** Log excerpts to show under the message. */
  readonly logs: () => string;
}): Promise<Error> {
  const exited = !isAlive(options.pid);
  if (!exited) await stopProcess(options.pid, options.graceMs);
  removePidFile(options.pidFile);
  const reason = exited
    ? "exited during start-up"
    : `was not ready within ${Math.round(options.timeoutMs / 1000)} s`;
  return new Error(`${options.what} (pid ${options.pid}) ${reason}\n${options.logs()}`);
}

/**
 * Wait until a server just started as `pid` (its pid file written) answers `healthy()`; when it
 * exits or is not ready within `timeoutMs`, stop it and throw failedStartError's description.
 */
export async function awaitServerReady(options: {
  readonly what: string;
  readonly pid: number;
  readonly pidFile: string;
  readonly timeoutMs: number;
  readonly graceMs: number;
  readonly healthy: () => Promise<boolean>;
  /** How often to ask (default 250 ms). */
  readonly intervalMs?: number;
  readonly logs: () => string;
}): Promise<void> {
  const ready = await pollUntil(
    async () => {
      if (!isAlive(options.pid)) return false;
      return (await options.healthy()) ? true : undefined;
    },
    options.timeoutMs,
    options.intervalMs,
  );
  if (ready !== true) throw await failedStartError(options);
}
