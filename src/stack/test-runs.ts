// Book-keeping of the test runs that use a stack directory, under `<stack dir>/test-runs/`: one
// lease file per running test command, and a marker per server a test run started, so that the
// last test run to end stops what test runs started and leaves every other server running.
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ComponentName } from "./components.js";
import { commandLine, isAlive, readPidFile, writePidFile } from "./processes.js";

export function testRunsDir(stackDir: string): string {
  return join(stackDir, "test-runs");
}

/** A running test command's claim on the stack directory's servers. */
export interface Lease {
  readonly file: string;
  readonly pid: number;
}

export function writeLease(stackDir: string): Lease {
  const dir = testRunsDir(stackDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}-${randomBytes(4).toString("hex")}.lease`);
  const command = commandLine(process.pid);
  writeFileSync(file, JSON.stringify({ pid: process.pid, command }) + "\n");
  return { file, pid: process.pid };
}

export function removeLease(lease: Lease): void {
  rmSync(lease.file, { force: true });
}

/** Leases of test commands still running; those of exited processes are removed. */
export function liveLeases(stackDir: string): Lease[] {
  const dir = testRunsDir(stackDir);
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((entry) => entry.endsWith(".lease"));
  } catch {
    return [];
  }
  const live: Lease[] = [];
  for (const entry of entries) {
    const file = join(dir, entry);
    let recorded: { pid?: unknown; command?: unknown } = {};
    try {
      recorded = JSON.parse(readFileSync(file, "utf8")) as typeof recorded;
    } catch {
      // half-written or damaged: judged by the pid in its name
    }
    const pid = typeof recorded.pid === "number" ? recorded.pid : Number(entry.split("-")[0]);
    // A reused pid runs another command line: that lease is stale too.
    const sameProcess =
      typeof recorded.command !== "string" ||
      recorded.command === "" ||
      commandLine(pid) === recorded.command;
    if (isAlive(pid) && sameProcess) live.push({ file, pid });
    else rmSync(file, { force: true });
  }
  return live;
}

function startedMarker(stackDir: string, name: ComponentName): string {
  return join(testRunsDir(stackDir), `started-${name}.pid`);
}

/** Record that a test run started this server (the last test run to end stops it). */
export function markStartedByTestRun(stackDir: string, name: ComponentName, pid: number): void {
  writePidFile(startedMarker(stackDir, name), pid);
}

/** The servers test runs started and nobody took over since: component → pid. */
export function startedByTestRuns(
  stackDir: string,
  names: readonly ComponentName[],
): Map<ComponentName, number> {
  const started = new Map<ComponentName, number>();
  for (const name of names) {
    const pid = readPidFile(startedMarker(stackDir, name));
    if (pid !== undefined) started.set(name, pid);
  }
  return started;
}

/** Forget the test-run markers of these servers (they are stopped, or `stack up` took them over). */
export function forgetStartedByTestRun(stackDir: string, names: readonly ComponentName[]): void {
  for (const name of names) rmSync(startedMarker(stackDir, name), { force: true });
}
