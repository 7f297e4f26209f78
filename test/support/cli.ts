// Running the built CLI (`bin/driftwatch`) as a child process, as users and operators do: with
// only its config file deciding where things are (runDriftwatch, driftwatch), or with the test's
// own environment (runCli); and any other program (runProcess).
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPOSITORY_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DRIFTWATCH_BIN = fileURLToPath(new URL("../../bin/driftwatch", import.meta.url));

/** A file or folder below test/fixtures/. */
export function fixturePath(...parts: string[]): string {
  return fileURLToPath(new URL(`../fixtures/${parts.join("/")}`, import.meta.url));
}

export interface Child {
  readonly process: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
}

/** The environment for a child `driftwatch`: only the config file decides where things are. */
export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("DRIFTWATCH_") && name !== "DRIFTWATCH_LOG_LEVEL") delete env[name];
  }
  env.DRIFTWATCH_LOG_LEVEL ??= "warn";
  return env;
}

/**
 * Spawn `file args`; `exited` resolves on "exit" (a serve child: as soon as the process is gone)
 * or on "close" (a command run to completion: once its output is all read, a spawn error fails).
 */
function start(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { readonly input?: string | Buffer; readonly until: "exit" | "close" },
): Child {
  const { input } = options;
  const child = spawn(file, [...args], {
    env,
    cwd: REPOSITORY_ROOT,
    stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
  if (input !== undefined) child.stdin!.end(input);
  const exited = new Promise<number | string>((resolve, reject) => {
    if (options.until === "close") child.once("error", reject);
    child.on(options.until, (code: number | null, signal: NodeJS.Signals | null) =>
      resolve(code ?? signal ?? "unknown"),
    );
  });
  return { process: child, stdout: () => out, stderr: () => err, exited };
}

/** Start `driftwatch args` with childEnv() plus `env`, `input` on its stdin. */
export function runDriftwatch(
  args: readonly string[],
  input?: string | Buffer,
  env: NodeJS.ProcessEnv = {},
): Child {
  return start(DRIFTWATCH_BIN, args, { ...childEnv(), ...env }, { input, until: "exit" });
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

export interface CliRun {
  /** The exit code; -1 when a signal ended the process. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `file args` to completion with the test's environment plus `env`. */
export async function runProcess(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  const child = start(file, args, { ...process.env, ...env }, { until: "close" });
  const code = await child.exited;
  return {
    code: typeof code === "number" ? code : -1,
    stdout: child.stdout(),
    stderr: child.stderr(),
  };
}

/** Run `driftwatch args` to completion with the test's environment (NO_COLOR=1) plus `env`. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runProcess(DRIFTWATCH_BIN, args, { NO_COLOR: "1", ...env });
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
