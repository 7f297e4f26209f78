// One ClickHouse server process driftwatch runs itself from a directory of its own: writes the
// config, starts `clickhouse-server` detached, waits for GET /ping, stops it by its pid file.
// Used by the shared stack and by private test servers (private-clickhouse.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import {
  clickhouseConfigXml,
  clickhouseFiles,
  clickhouseUsersXml,
  type ClickHouseLayout,
} from "./clickhouse-config.js";
import { findExecutable } from "./executables.js";
import { httpGet, logExcerpt } from "./probes.js";
import {
  awaitServerReady,
  spawnDetached,
  stopTrackedProcess,
  trackedPid,
  writePidFile,
} from "./processes.js";

export interface ClickHouseProbe {
  readonly healthy: boolean;
  readonly version?: string;
}

/** Whether a healthy ClickHouse answers on this HTTP port (GET /ping = "Ok."), and its version. */
export async function probeClickHouse(
  httpPort: number,
  host = "127.0.0.1",
  timeoutMs = 2_000,
): Promise<ClickHouseProbe> {
  const ping = await httpGet(`http://${host}:${httpPort}/ping`, timeoutMs);
  if (ping === undefined || ping.status !== 200 || ping.body.trim() !== "Ok.") {
    return { healthy: false };
  }
  const version = await httpGet(
    `http://${host}:${httpPort}/?query=${encodeURIComponent("SELECT version()")}`,
    timeoutMs,
  );
  return {
    healthy: true,
    version: version?.status === 200 ? version.body.trim() : undefined,
  };
}

/** The `clickhouse-server` binary (Debian puts it in /usr/sbin). */
export function clickhouseServerBinary(): string | undefined {
  return findExecutable("clickhouse-server");
}

/** The pid of the server started from `dir`, if it is still running. */
export function clickhousePid(dir: string): number | undefined {
  return trackedPid(clickhouseFiles(dir).pidFile, "clickhouse");
}

export interface StartClickHouseOptions extends ClickHouseLayout {
  readonly timeoutMs?: number;
}

/** Write the config and start the server; resolves once /ping answers. Returns its pid. */
export async function startClickHouseServer(options: StartClickHouseOptions): Promise<number> {
  const binary = clickhouseServerBinary();
  if (binary === undefined) {
    throw new Error(
      "clickhouse-server is not installed (Debian: apt-get install clickhouse-server clickhouse-client)",
    );
  }
  const files = clickhouseFiles(options.dir);
  for (const dir of [
    options.dir,
    files.data,
    files.tmp,
    files.userFiles,
    files.formatSchemas,
    files.logs,
  ]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(files.config, clickhouseConfigXml(options));
  writeFileSync(files.users, clickhouseUsersXml(options.limits));
  const pid = await spawnDetached({
    command: binary,
    args: [`--config-file=${files.config}`],
    cwd: options.dir,
    logFile: files.stdoutLog,
  });
  writePidFile(files.pidFile, pid);
  const timeoutMs = options.timeoutMs ?? 60_000;
  await awaitServerReady({
    what: `ClickHouse on HTTP port ${options.httpPort}`,
    pid,
    pidFile: files.pidFile,
    timeoutMs,
    graceMs: 5_000,
    healthy: async () =>
      (await probeClickHouse(options.httpPort, options.listenHost, 1_000)).healthy,
    logs: () => `${logExcerpt(files.errorLog)}\n${logExcerpt(files.stdoutLog, 10)}`,
  });
  return pid;
}

/** Stop the server started from `dir` (SIGTERM, SIGKILL after `graceMs`); false if none ran. */
export async function stopClickHouseServer(dir: string, graceMs = 20_000): Promise<boolean> {
  return stopTrackedProcess(clickhouseFiles(dir).pidFile, clickhousePid(dir), graceMs);
}
