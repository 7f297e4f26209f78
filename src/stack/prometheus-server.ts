// The Prometheus server driftwatch runs itself (Debian's `prometheus`): config under the stack
// directory, started detached, ready when GET /-/ready answers 200, stopped by its pid file.
import { mkdirSync, writeFileSync } from "node:fs";
import { findExecutable } from "./executables.js";
import {
  prometheusArgs,
  prometheusConfigYaml,
  prometheusFiles,
  type PrometheusLayout,
} from "./prometheus-config.js";
import { httpGet, logExcerpt } from "./probes.js";
import {
  awaitServerReady,
  spawnDetached,
  stopTrackedProcess,
  trackedPid,
  writePidFile,
} from "./processes.js";

export interface PrometheusProbe {
  readonly healthy: boolean;
  readonly version?: string;
  /** The config file the running server loaded (from /api/v1/status/flags). */
  readonly configFile?: string;
}

/** Whether a ready Prometheus answers on host:port, its version and config file. */
export async function probePrometheus(
  port: number,
  host = "127.0.0.1",
  timeoutMs = 2_000,
): Promise<PrometheusProbe> {
  const base = `http://${host}:${port}`;
  const ready = await httpGet(`${base}/-/ready`, timeoutMs);
  if (ready === undefined || ready.status !== 200 || !/prometheus/i.test(ready.body)) {
    return { healthy: false };
  }
  const [buildinfo, flags] = await Promise.all([
    httpGet(`${base}/api/v1/status/buildinfo`, timeoutMs),
    httpGet(`${base}/api/v1/status/flags`, timeoutMs),
  ]);
  const field = (answer: typeof buildinfo, name: string): string | undefined => {
    try {
      const value = (JSON.parse(answer?.body ?? "") as { data?: Record<string, unknown> }).data?.[
        name
      ];
      return typeof value === "string" ? value : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    healthy: true,
    version: field(buildinfo, "version"),
    configFile: field(flags, "config.file"),
  };
}

export function prometheusPid(dir: string): number | undefined {
  return trackedPid(prometheusFiles(dir).pidFile, "prometheus");
}

/** Write the config and start the server; resolves once /-/ready answers. Returns its pid. */
export async function startPrometheusServer(
  layout: PrometheusLayout,
  timeoutMs = 60_000,
): Promise<number> {
  const binary = findExecutable("prometheus");
  if (binary === undefined)
    throw new Error("prometheus is not installed (Debian: apt-get install prometheus)");
  const files = prometheusFiles(layout.dir);
  for (const dir of [layout.dir, files.data, files.targets, files.logs])
    mkdirSync(dir, { recursive: true });
  writeFileSync(files.config, prometheusConfigYaml(layout));
  const pid = await spawnDetached({
    command: binary,
    args: prometheusArgs(layout),
    cwd: layout.dir,
    logFile: files.stdoutLog,
  });
  writePidFile(files.pidFile, pid);
  await awaitServerReady({
    what: `Prometheus on port ${layout.port}`,
    pid,
    pidFile: files.pidFile,
    timeoutMs,
    graceMs: 5_000,
    healthy: async () => (await probePrometheus(layout.port, layout.listenHost, 1_000)).healthy,
    logs: () => logExcerpt(files.stdoutLog),
  });
  return pid;
}

export async function stopPrometheusServer(dir: string, graceMs = 20_000): Promise<boolean> {
  return stopTrackedProcess(prometheusFiles(dir).pidFile, prometheusPid(dir), graceMs);
}
