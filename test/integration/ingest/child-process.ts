// Running the built CLI (`bin/driftwatch`) as a child process, as users and operators do.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { childEnv } from "./harness.js";

export const DRIFTWATCH_BIN = fileURLToPath(new URL("../../../bin/driftwatch", import.meta.url));

export interface Child {
  readonly process: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
}

export function runDriftwatch(
  args: readonly string[],
  input?: string | Buffer,
  env: NodeJS.ProcessEnv = {},
): Child {
  const child = spawn(DRIFTWATCH_BIN, [...args], {
    env: { ...childEnv(), ...env },
    stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
  if (input !== undefined) child.stdin!.end(input);
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return { process: child, stdout: () => out, stderr: () => err, exited };
}

/** Run to completion; resolves with exit code and output. */
export async function driftwatch(
  args: readonly string[],
  input?: string | Buffer,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const child = runDriftwatch(args, input);
  const code = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

/** Resolve with the exit code, or fail after `ms` (killing the child). */
export async function exitWithin(child: Child, ms: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.process.kill("SIGKILL");
      reject(new Error(`did not exit within ${ms} ms; stderr:\n${child.stderr().slice(-3_000)}`));
    }, ms);
  });
  try {
    return await Promise.race([child.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The /metrics port a `serve` child logged (needs DRIFTWATCH_LOG_LEVEL=info). */
export function servedPort(child: Child): number | undefined {
  const match = /"port":(\d+),"msg":"serving \/metrics/.exec(child.stderr());
  return match === null ? undefined : Number(match[1]);
}

/** One sample of a Prometheus text exposition (summed over label sets). */
export async function scrape(port: number, metric: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return sum;
}
