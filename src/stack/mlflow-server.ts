// A local MLflow tracking server (PyPI `mlflow`, pinned): installed on first use into a venv under
// the stack directory (<stack dir>/mlflow-venv, shared by every test run and `stack up`), started
// with a SQLite backend store and a local artifact store, which webhooks need (MLflow 3.3+).
import { spawn, type ChildProcess } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { StackError } from "./errors.js";
import { findFreePort, httpGet, tailFile } from "./probes.js";
import { outputTail, runCommand } from "./run-command.js";

/** The MLflow release driftwatch is tested with (webhooks need 3.3 or newer). */
export const MLFLOW_VERSION = "3.17.2";

export interface MlflowInstall {
  readonly venv: string;
  /** The `mlflow` command. */
  readonly bin: string;
  /** The venv's python (the MLflow client is importable with it). */
  readonly python: string;
  /** Whether this call installed it. */
  readonly installed: boolean;
  readonly seconds: number;
}

/** `mlflow==MLFLOW_VERSION` in `<stackDir>/mlflow-venv`, installed when missing (one installer at a time). */
export async function ensureMlflow(
  stackDir: string,
  progress: (message: string) => void = () => undefined,
): Promise<MlflowInstall> {
  const began = Date.now();
  const venv = join(stackDir, "mlflow-venv");
  const bin = join(venv, "bin", "mlflow");
  const python = join(venv, "bin", "python");
  const marker = join(venv, "driftwatch-mlflow-version");
  const ready = (): boolean =>
    existsSync(bin) && existsSync(marker) && readFileSync(marker, "utf8").trim() === MLFLOW_VERSION;
  const done = (installed: boolean): MlflowInstall => ({
    venv,
    bin,
    python,
    installed,
    seconds: (Date.now() - began) / 1000,
  });
  if (ready()) return done(false);
  mkdirSync(stackDir, { recursive: true });
  const lock = `${venv}.lock`;
  await takeLock(lock, progress);
  try {
    if (ready()) return done(false);
    progress(`installing mlflow ${MLFLOW_VERSION} into ${venv} (first use, about a minute)`);
    rmSync(venv, { recursive: true, force: true });
    const pythonCommand = process.env.DRIFTWATCH_PYTHON ?? "python3";
    const created = await runCommand(pythonCommand, ["-m", "venv", venv]);
    if (created.code !== 0) {
      throw new StackError(
        `${pythonCommand} -m venv failed (Debian: apt-get install -y python3 python3-venv):\n${outputTail(created.output)}`,
      );
    }
    const pip = await runCommand(python, [
      "-m",
      "pip",
      "install",
      "--disable-pip-version-check",
      "--no-input",
      "--progress-bar",
      "off",
      `mlflow[auth]==${MLFLOW_VERSION}`,
    ]);
    if (pip.code !== 0) {
      rmSync(venv, { recursive: true, force: true });
      throw new StackError(
        `pip install mlflow[auth]==${MLFLOW_VERSION} failed (is PyPI reachable?):\n${outputTail(pip.output)}`,
      );
    }
    writeFileSync(marker, `${MLFLOW_VERSION}\n`);
    return done(true);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** mkdir is atomic: hold `lock` (a directory with the owner's pid); take over a dead owner's. */
async function takeLock(lock: string, progress: (message: string) => void): Promise<void> {
  const deadline = Date.now() + 20 * 60_000;
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let owner: number | undefined;
    try {
      owner = Number(readFileSync(join(lock, "pid"), "utf8")) || undefined;
    } catch {
      owner = undefined;
    }
    let alive = true;
    if (owner !== undefined) {
      try {
        process.kill(owner, 0);
      } catch {
        alive = false;
      }
    }
    if (!alive) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new StackError(`${lock} is held by process ${owner}`);
    if (!told) progress(`waiting for process ${owner ?? "?"} to finish installing mlflow`);
    told = true;
    await sleep(1_000);
  }
}

/** Webhooks to a driftwatch on this machine: plain http and private addresses allowed. */
export const MLFLOW_SERVER_ENV: Readonly<Record<string, string>> = {
  MLFLOW_WEBHOOK_ALLOWED_SCHEMES: "http,https",
  MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS: "true",
  MLFLOW_WEBHOOK_CACHE_TTL: "1",
};

/** `mlflow server` arguments: SQLite in `dataDir`, artifacts served from `dataDir`/artifacts. */
export function mlflowServerArgs(dataDir: string, port: number, appName?: string): string[] {
  return [
    "server",
    "--backend-store-uri",
    `sqlite:///${join(dataDir, "mlflow.db")}`,
    "--artifacts-destination",
    join(dataDir, "artifacts"),
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--workers",
    "1",
    ...(appName !== undefined ? ["--app-name", appName] : []),
  ];
}

export interface MlflowServerOptions {
  readonly install: MlflowInstall;
  /** Holds mlflow.db, the artifacts and server.log. */
  readonly dataDir: string;
  readonly port?: number;
  /** `basic-auth` for MLflow's basic-auth app. */
  readonly appName?: string;
  /** Extra environment (e.g. MLFLOW_AUTH_CONFIG_PATH). */
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

export interface MlflowServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  /** Seconds from spawn to a healthy /health. */
  readonly startSeconds: number;
  stop(): Promise<void>;
}

/**
 * `mlflow server` on 127.0.0.1 with SQLite and local artifacts, as a child of this process (its
 * own process group, stopped with it). Webhooks to local addresses are allowed (MLflow refuses
 * private addresses and plain http by default).
 */
export async function startMlflowServer(options: MlflowServerOptions): Promise<MlflowServer> {
  const began = Date.now();
  mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await findFreePort());
  const logFile = join(options.dataDir, "server.log");
  const args = mlflowServerArgs(options.dataDir, port, options.appName);
  const fd = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(options.install.bin, args, {
      cwd: options.dataDir,
      detached: true,
      stdio: ["ignore", fd, fd],
      env: { ...process.env, ...MLFLOW_SERVER_ENV, ...options.env },
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid ?? -1;
  let exited = false;
  child.once("exit", () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (exited || pid <= 0) return;
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      return;
    }
    for (let i = 0; i < 100 && !exited; i++) await sleep(100);
    if (!exited) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (exited) {
      throw new StackError(`mlflow server exited during start-up:\n${tailFile(logFile)}`);
    }
    const answer = await httpGet(`${url}/health`, 2_000);
    if (answer !== undefined && answer.status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new StackError(`mlflow server did not become healthy on ${url}:\n${tailFile(logFile)}`);
    }
    await sleep(250);
  }
  return { url, port, pid, logFile, startSeconds: (Date.now() - began) / 1000, stop };
}
