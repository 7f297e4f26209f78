// `driftwatch stack up|down|status --cluster`: the cluster stack (ZooKeeper, ClickHouse 2 shards ×
// 2 replicas, three Kafka brokers) under <stack dir>/cluster (src/stack/cluster does the work).
import {
  CLUSTER_BASE_PORT_ENV,
  clusterDown,
  clusterStatus,
  clusterUp,
  DEFAULT_CLUSTER_BASE_PORT,
  type ClusterOptions,
  type ClusterServer,
} from "../../stack/index.js";
import { CliError } from "../errors.js";

export interface ClusterFlags {
  readonly dir?: string;
  readonly basePort?: string;
  readonly timeout?: string;
  readonly only?: string;
  readonly adopt?: boolean;
  readonly with?: string;
}

export const CLUSTER_HELP =
  "\nWith --cluster: ZooKeeper, ClickHouse 2 shards x 2 replicas (cluster `driftwatch`) and three " +
  "Kafka brokers (replication factor 3, min.insync.replicas 2) under <stack dir>/cluster, on ports " +
  `from --base-port or ${CLUSTER_BASE_PORT_ENV} (default ${DEFAULT_CLUSTER_BASE_PORT}; ZooKeeper +0, ` +
  "ClickHouse HTTP +20..23, native +30..33, interserver +40..43, Kafka +50..52, controllers +60..62).";

function progress(message: string): void {
  process.stderr.write(`driftwatch stack: ${message}\n`);
}

function clusterOptions(flags: ClusterFlags): ClusterOptions {
  for (const flag of ["only", "adopt", "with"] as const) {
    if (flags[flag] !== undefined) {
      throw new CliError(`--${flag} does not apply to --cluster`);
    }
  }
  let basePort: number | undefined;
  if (flags.basePort !== undefined) {
    basePort = Number(flags.basePort);
    if (!/^\d+$/.test(flags.basePort) || basePort < 1 || basePort > 65535) {
      throw new CliError(`--base-port: ${JSON.stringify(flags.basePort)} is not a TCP port`);
    }
  }
  let timeoutMs: number | undefined;
  if (flags.timeout !== undefined) {
    const seconds = Number(flags.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new CliError(
        `--timeout: ${JSON.stringify(flags.timeout)} is not a positive number of seconds`,
      );
    }
    timeoutMs = seconds * 1000;
  }
  return { dir: flags.dir, basePort, timeoutMs, progress };
}

function table(servers: readonly ClusterServer[]): string {
  const header = ["server", "state", "ports", "pid", "version", "dir"];
  const rows = servers.map((server) => [
    server.name,
    server.state,
    server.ports.join(","),
    server.pid === null ? "-" : String(server.pid),
    server.version ?? "-",
    server.dir,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** up --cluster: start what is down, print `export` lines (with DRIFTWATCH_CLICKHOUSE_CLUSTER). */
export async function clusterUpCommand(flags: ClusterFlags): Promise<void> {
  const result = await clusterUp(clusterOptions(flags));
  for (const server of result.servers) {
    progress(
      `${server.name}: ${server.action}, pid ${server.pid ?? "?"} on ${server.ports.join(",")}`,
    );
  }
  if (result.env.DRIFTWATCH_PROMETHEUS_URL === undefined) {
    progress(
      "no Prometheus: the cluster has none of its own; `driftwatch stack up --only prometheus` " +
        "starts the single-node stack's, which the next `stack up --cluster` names",
    );
  }
  progress(`cluster ready (${result.clusterDir})`);
  const lines = Object.entries(result.env)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `export ${name}=${value}`);
  process.stdout.write(lines.join("\n") + "\n");
}

export async function clusterDownCommand(flags: ClusterFlags): Promise<void> {
  const result = await clusterDown(clusterOptions(flags));
  for (const server of result.servers) {
    process.stdout.write(`${server.name}: ${server.action ?? "not running"}\n`);
  }
}

/** status --cluster [--json]: exit 0 when all eight servers are healthy, else 1. */
export async function clusterStatusCommand(
  flags: ClusterFlags & { json?: boolean },
): Promise<void> {
  const result = await clusterStatus(clusterOptions(flags));
  process.stdout.write(
    (flags.json === true ? JSON.stringify(result) : table(result.servers)) + "\n",
  );
  process.exitCode = result.healthy ? 0 : 1;
}
