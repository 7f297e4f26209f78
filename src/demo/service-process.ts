// `driftwatch serve` as a child process of the demo: started with the demo's config, ready once
// /readyz answers 200, stopped with SIGTERM (SIGKILL after a grace period). Its logs go to a file.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./demo-config.js";

export interface ServiceProcess {
  readonly pid: number;
  readonly logFile: string;
  readonly url: string;
  /** Exit code once it exited, else undefined. */
  exitCode(): number | null | undefined;
  stop(): Promise<void>;
}

export function cliEntry(): string {
  return join(packageRoot(), "dist", "src", "cli", "main.js");
}

export async function startService(options: {
  readonly role: "all" | "ingest";
  readonly configPath: string;
  readonly port: number;
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  readonly readyTimeoutMs: number;
}): Promise<ServiceProcess> {
  const log = openSync(options.logFile, "a");
  const child: ChildProcess = spawn(
    process.execPath,
    [cliEntry(), "serve", "--role", options.role, "--config", options.configPath],
    { env: options.env, stdio: ["ignore", log, log] },
  );
  closeSync(log);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = code ?? (signal === null ? null : -1);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${options.port}`;
  const service: ServiceProcess = {
    pid: child.pid ?? 0,
    logFile: options.logFile,
    url,
    exitCode: () => exited,
    stop: async () => {
      if (exited !== undefined) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exit;
      clearTimeout(killer);
    },
  };
  const deadline = Date.now() + options.readyTimeoutMs;
  for (;;) {
    if (exited !== undefined) {
      throw new Error(
        `serve --role ${options.role} exited (code ${exited}); see ${options.logFile}`,
      );
    }
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return service;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(
        `serve --role ${options.role} was not ready within ${options.readyTimeoutMs / 1000} s; see ${options.logFile}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
