// A lock file under the stack directory so two `stack up` runs at once (two test runs starting
// together) do not both start the same server. Stale locks of dead processes are taken over.
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { StackError } from "./errors.js";
import { isAlive } from "./processes.js";

function holderPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isStale(file: string): boolean {
  const pid = holderPid(file);
  if (pid !== undefined) return !isAlive(pid);
  try {
    // An empty file younger than 5 s is a lock being written right now.
    return Date.now() - statSync(file).mtimeMs > 5_000;
  } catch {
    return false;
  }
}

/** Run `work` while holding `<stackDir>/stack.lock`; waits up to `timeoutMs` for another holder. */
export async function withStackLock<T>(
  stackDir: string,
  timeoutMs: number,
  onWait: (holder: number | undefined) => void,
  work: () => Promise<T>,
): Promise<T> {
  mkdirSync(stackDir, { recursive: true });
  const file = join(stackDir, "stack.lock");
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (isStale(file)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new StackError(
        `another driftwatch stack command (pid ${holderPid(file) ?? "unknown"}) holds ${file}; ` +
          "wait for it to finish or remove the file if that process is gone",
      );
    }
    if (!announced) {
      onWait(holderPid(file));
      announced = true;
    }
    await sleep(250);
  }
  try {
    return await work();
  } finally {
    if (holderPid(file) === process.pid) rmSync(file, { force: true });
  }
}
