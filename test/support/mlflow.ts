// A real MLflow tracking server for the MLflow integration's tests: the pinned `mlflow` installed
// once into <stack dir>/mlflow-venv (shared by every run), a server of the test's own on a free
// port with SQLite and local artifacts, and what a retraining pipeline does there, run with the
// MLflow Python client (test/fixtures/mlflow/registry.py).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  ensureMlflow,
  resolveStackDir,
  startMlflowServer,
  type MlflowInstall,
  type MlflowServer,
} from "../../src/stack/index.js";

const REGISTRY_SCRIPT = fileURLToPath(new URL("../fixtures/mlflow/registry.py", import.meta.url));

export interface TestMlflow {
  readonly install: MlflowInstall;
  readonly server: MlflowServer;
  readonly dataDir: string;
  /** Run registry operations with the Python client; resolves with each one's result. */
  run(ops: readonly object[], env?: NodeJS.ProcessEnv): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startTestMlflow(
  options: { appName?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<TestMlflow> {
  const install = await ensureMlflow(resolveStackDir(), (message) =>
    process.stderr.write(`mlflow (test): ${message}\n`),
  );
  if (install.installed) {
    process.stderr.write(`mlflow (test): installed in ${install.seconds.toFixed(1)} s\n`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), "driftwatch-mlflow-"));
  const server = await startMlflowServer({
    install,
    dataDir,
    ...(options.appName !== undefined ? { appName: options.appName } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
  process.stderr.write(`mlflow (test): server up in ${server.startSeconds.toFixed(1)} s\n`);
  return {
    install,
    server,
    dataDir,
    run: (ops, env) => runRegistry(install, server.url, ops, env),
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function runRegistry(
  install: MlflowInstall,
  url: string,
  ops: readonly object[],
  env: NodeJS.ProcessEnv = {},
): Promise<Record<string, unknown>[]> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(install.python, [REGISTRY_SCRIPT], {
      stdio: ["pipe", "pipe", "pipe"],
      env: {
        ...process.env,
        MLFLOW_TRACKING_URI: url,
        GIT_PYTHON_REFRESH: "quiet",
        MLFLOW_EXPERIMENT_NAME: "driftwatch-tests",
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => {
      if (code !== 0) {
        reject(new Error(`registry.py exited ${code}:\n${stderr.slice(-3000)}`));
        return;
      }
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        resolveRun(JSON.parse(last) as Record<string, unknown>[]);
      } catch {
        reject(new Error(`registry.py printed no result: ${stdout.slice(-2000)}`));
      }
    });
    child.stdin.end(JSON.stringify(ops));
  });
}

/** Poll `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
}
