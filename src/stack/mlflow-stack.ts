// `driftwatch stack up --with mlflow`: the local MLflow tracking server beside the stack, under
// <stack dir>/mlflow (SQLite, artifacts, server.log, mlflow.pid) on DRIFTWATCH_MLFLOW_PORT (5000).
// Idempotent: a healthy server of this stack directory is reused; a port held by anything else
// is refused. `stack down` stops it with the rest.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { StackError } from "./errors.js";
import { ensureMlflow, MLFLOW_SERVER_ENV, mlflowServerArgs } from "./mlflow-server.js";
import { parsePort } from "./ports.js";
import { httpGet, isPortListening, tailFile } from "./probes.js";
import { isAlive, spawnDetached } from "./processes.js";

export const DEFAULT_MLFLOW_PORT = 5000;

export interface MlflowStackResult {
  readonly action: "started" | "reused";
  readonly pid: number;
  readonly url: string;
}

interface Layout {
  readonly dataDir: string;
  readonly pidFile: string;
  readonly logFile: string;
}

function layout(stackDir: string): Layout {
  const dataDir = join(stackDir, "mlflow");
  return {
    dataDir,
    pidFile: join(dataDir, "mlflow.pid"),
    logFile: join(dataDir, "server.log"),
  };
}

/** The pid and port of the server this stack directory started, when it still runs. */
function tracked(paths: Layout): { pid: number; port: number } | undefined {
  try {
    const [pid, port] = readFileSync(paths.pidFile, "utf8").trim().split(/\s+/).map(Number);
    if (pid !== undefined && port !== undefined && isAlive(pid)) return { pid, port };
  } catch {
    // no pid file
  }
  return undefined;
}

async function healthy(port: number): Promise<boolean> {
  const answer = await httpGet(`http://127.0.0.1:${port}/health`, 2_000);
  return answer?.status === 200;
}

export async function mlflowStackUp(options: {
  readonly stackDir: string;
  /** Where mlflow-venv lives (default: the stack directory). */
  readonly installDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  readonly progress?: (message: string) => void;
}): Promise<MlflowStackResult> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? (() => undefined);
  const port =
    env.DRIFTWATCH_MLFLOW_PORT !== undefined && env.DRIFTWATCH_MLFLOW_PORT !== ""
      ? parsePort(env.DRIFTWATCH_MLFLOW_PORT, "DRIFTWATCH_MLFLOW_PORT")
      : DEFAULT_MLFLOW_PORT;
  const paths = layout(options.stackDir);
  const running = tracked(paths);
  if (running !== undefined && running.port === port && (await healthy(port))) {
    return { action: "reused", pid: running.pid, url: `http://127.0.0.1:${port}` };
  }
  if (running !== undefined) await mlflowStackDown(options.stackDir);
  if (await isPortListening(port)) {
    throw new StackError(
      `port ${port} (MLflow) is held by another program: stop it or set DRIFTWATCH_MLFLOW_PORT`,
    );
  }
  const install = await ensureMlflow(options.installDir ?? options.stackDir, progress);
  mkdirSync(paths.dataDir, { recursive: true });
  const pid = await spawnDetached({
    command: install.bin,
    args: mlflowServerArgs(paths.dataDir, port),
    cwd: paths.dataDir,
    logFile: paths.logFile,
    env: { ...process.env, ...MLFLOW_SERVER_ENV },
  });
  writeFileSync(paths.pidFile, `${pid} ${port}\n`);
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (!(await healthy(port))) {
    if (!isAlive(pid) || Date.now() > deadline) {
      await mlflowStackDown(options.stackDir);
      throw new StackError(`mlflow server did not become healthy:\n${tailFile(paths.logFile)}`);
    }
    await sleep(250);
  }
  return { action: "started", pid, url: `http://127.0.0.1:${port}` };
}

/** Stop the MLflow server this stack directory started (its process group); false if none ran. */
export async function mlflowStackDown(stackDir: string): Promise<boolean> {
  const paths = layout(stackDir);
  const running = tracked(paths);
  rmSync(paths.pidFile, { force: true });
  if (running === undefined) return false;
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-running.pid, name); // spawnDetached made it a session (and group) leader
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  for (let i = 0; i < 100 && isAlive(running.pid); i++) await sleep(100);
  if (isAlive(running.pid)) signal("SIGKILL");
  return true;
}
