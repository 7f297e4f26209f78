// `stack up|down|status --cluster` as a programmatic API: ZooKeeper, ClickHouse 2 shards × 2
// replicas and three Kafka brokers under `<stack dir>/cluster/`. Up is idempotent: servers of this
// directory that are healthy are reused, any that is down is (re)started; ports held by anything
// else are refused, naming the holder. There is no Prometheus of its own: the single-node stack's
// (`stack up --only prometheus`) serves both, and its URL is printed when it is healthy.
import { clickhouseServerBinary } from "../clickhouse-server.js";
import { installMissing, type Progress } from "../apt.js";
import { StackError } from "../errors.js";
import { ensureKafkaJars, kafkaRequirements } from "../kafka-server.js";
import { resolveStackDir } from "../layout.js";
import { withStackLock } from "../lock.js";
import { describeOwner, ownerOfPort } from "../ownership.js";
import { resolvePorts } from "../ports.js";
import { isPortListening, logExcerpt, pollUntil } from "../probes.js";
import { killProcess } from "../processes.js";
import { probePrometheus } from "../prometheus-server.js";
import {
  CLUSTER_NAME,
  clusterLayout,
  resolveBasePort,
  saveBasePort,
  type ClusterLayout,
} from "./cluster-layout.js";
import {
  clusterServers,
  type ClusterServerKind,
  type ClusterServerSpec,
} from "./cluster-servers.js";
import { zookeeperRequirements } from "./zookeeper-server.js";

export interface ClusterOptions {
  /** Stack directory (default DRIFTWATCH_STACK_DIR, else `<project>/.stack`); the cluster lives in its `cluster/`. */
  readonly dir?: string;
  /** First of the cluster's ports (default DRIFTWATCH_STACK_CLUSTER_BASE_PORT, the saved one, or 29100). */
  readonly basePort?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly progress?: Progress;
  /** Readiness timeout per server (default 120 s). */
  readonly timeoutMs?: number;
}

export interface ClusterEnv {
  /** All three brokers, comma-separated. */
  readonly DRIFTWATCH_KAFKA_BROKERS: string;
  /** The first ClickHouse server (shard 1, replica 1). */
  readonly DRIFTWATCH_CLICKHOUSE_URL: string;
  readonly DRIFTWATCH_CLICKHOUSE_DATABASE: string;
  readonly DRIFTWATCH_CLICKHOUSE_CLUSTER: string;
  /** The single-node stack's Prometheus, when it is healthy. */
  readonly DRIFTWATCH_PROMETHEUS_URL?: string;
}

/** One entry of `stack status --cluster --json` (DESIGN: name, kind, pid, ports, dir). */
export interface ClusterServer {
  readonly name: string;
  readonly kind: ClusterServerKind;
  readonly pid: number | null;
  readonly ports: readonly number[];
  readonly dir: string;
  readonly state: "healthy" | "unhealthy" | "stopped";
  readonly version: string | null;
  /** up: started (was down), reused; down: stopped, not running. */
  readonly action?: "started" | "reused" | "stopped" | "not running";
}

export interface ClusterClickHouseServer {
  readonly name: string;
  readonly shard: number;
  readonly replica: number;
  /** `http://localhost:<httpPort>`. */
  readonly url: string;
  readonly httpPort: number;
  readonly tcpPort: number;
  readonly dir: string;
}

export interface ClusterBroker {
  readonly name: string;
  readonly nodeId: number;
  /** `localhost:<port>`. */
  readonly address: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly dir: string;
}

export interface ClusterStatusResult {
  /** The stack directory. */
  readonly dir: string;
  /** `<stack dir>/cluster`. */
  readonly clusterDir: string;
  readonly basePort: number;
  readonly healthy: boolean;
  readonly servers: readonly ClusterServer[];
  readonly clickhouse: readonly ClusterClickHouseServer[];
  readonly kafka: readonly ClusterBroker[];
}

export interface ClusterUpResult extends ClusterStatusResult {
  readonly env: ClusterEnv;
}

interface Resolved {
  readonly stackDir: string;
  readonly layout: ClusterLayout;
  readonly specs: ClusterServerSpec[];
  readonly env: NodeJS.ProcessEnv;
  readonly progress: Progress;
  readonly timeoutMs: number;
}

function resolve(options: ClusterOptions): Resolved {
  const env = options.env ?? process.env;
  const stackDir = options.dir ?? resolveStackDir(env);
  const layout = clusterLayout(stackDir, resolveBasePort(stackDir, env, options.basePort));
  const timeoutMs = options.timeoutMs ?? 120_000;
  return {
    stackDir,
    layout,
    specs: clusterServers(layout, timeoutMs),
    env,
    progress: options.progress ?? (() => undefined),
    timeoutMs,
  };
}

function addresses(layout: ClusterLayout) {
  const clickhouse = layout.clickhouse.map((server): ClusterClickHouseServer => ({
    name: server.name,
    shard: server.shard,
    replica: server.replica,
    url: `http://localhost:${server.httpPort}`,
    httpPort: server.httpPort,
    tcpPort: server.tcpPort,
    dir: server.dir,
  }));
  const kafka = layout.kafka.map((broker): ClusterBroker => ({
    name: broker.name,
    nodeId: broker.nodeId,
    address: `localhost:${broker.port}`,
    port: broker.port,
    controllerPort: broker.controllerPort,
    dir: broker.dir,
  }));
  return { clickhouse, kafka };
}

async function serverStatus(spec: ClusterServerSpec): Promise<ClusterServer> {
  const [health, pid] = [await spec.probe(), spec.pid()];
  return {
    name: spec.name,
    kind: spec.kind,
    pid: pid ?? null,
    ports: spec.ports,
    dir: spec.dir,
    state:
      health.healthy && pid !== undefined ? "healthy" : pid !== undefined ? "unhealthy" : "stopped",
    version: health.version ?? null,
  };
}

function result(resolved: Resolved, servers: ClusterServer[]): ClusterStatusResult {
  return {
    dir: resolved.stackDir,
    clusterDir: resolved.layout.dir,
    basePort: resolved.layout.basePort,
    healthy: servers.every((server) => server.state === "healthy"),
    servers,
    ...addresses(resolved.layout),
  };
}

/** What up does with a server: keep it, or start it (its ports are free). */
async function plan(spec: ClusterServerSpec, resolved: Resolved): Promise<"reuse" | "start"> {
  const pid = spec.pid();
  const health = await spec.probe();
  if (health.healthy && pid !== undefined) return "reuse";
  if (pid !== undefined) {
    resolved.progress(`${spec.name}: pid ${pid} is running but not ready yet; waiting`);
    const ready = await pollUntil(
      async () => ((await spec.probe()).healthy ? true : undefined),
      resolved.timeoutMs,
      500,
    );
    if (ready === true) return "reuse";
    throw new StackError(
      `${spec.name} (pid ${pid}, ports ${spec.ports.join(", ")}) was started from ${resolved.layout.dir} ` +
        "but is not healthy; run `driftwatch stack down --cluster` and retry.\n" +
        logExcerpt(spec.logFile),
    );
  }
  for (const port of spec.ports) {
    if (await isPortListening(port)) {
      const owner = ownerOfPort(port, resolved.stackDir) ?? { kind: "unknown" };
      throw new StackError(
        `port ${port} (${spec.name}) is held by ${describeOwner(owner)}, not by a server of ` +
          `${resolved.layout.dir}. Stop it, or give the cluster other ports with ` +
          `--base-port <port> (or DRIFTWATCH_STACK_CLUSTER_BASE_PORT).`,
      );
    }
  }
  return "start";
}

async function startGroup(
  specs: readonly ClusterServerSpec[],
  progress: Progress,
): Promise<Map<string, number>> {
  const outcomes = await Promise.allSettled(
    specs.map(async (spec) => {
      progress(`${spec.name}: starting on ${spec.ports.join(", ")} (files in ${spec.dir})`);
      const began = Date.now();
      const pid = await spec.start(progress);
      progress(`${spec.name}: ready in ${((Date.now() - began) / 1000).toFixed(1)} s (pid ${pid})`);
      return [spec.name, pid] as const;
    }),
  );
  const failures = outcomes.flatMap((outcome, index) =>
    outcome.status === "rejected"
      ? [
          `${specs[index]!.name}: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`,
        ]
      : [],
  );
  if (failures.length > 0)
    throw new StackError(`stack up --cluster failed:\n${failures.join("\n")}`);
  return new Map(
    outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : [])),
  );
}

async function prometheusUrl(resolved: Resolved): Promise<string | undefined> {
  try {
    const port = resolvePorts(resolved.env).prometheus;
    return (await probePrometheus(port)).healthy ? `http://localhost:${port}` : undefined;
  } catch {
    return undefined;
  }
}

export function clusterEnv(layout: ClusterLayout, prometheus?: string): ClusterEnv {
  return {
    DRIFTWATCH_KAFKA_BROKERS: layout.kafka.map((broker) => `localhost:${broker.port}`).join(","),
    DRIFTWATCH_CLICKHOUSE_URL: `http://localhost:${layout.clickhouse[0]!.httpPort}`,
    DRIFTWATCH_CLICKHOUSE_DATABASE: "driftwatch",
    DRIFTWATCH_CLICKHOUSE_CLUSTER: CLUSTER_NAME,
    ...(prometheus === undefined ? {} : { DRIFTWATCH_PROMETHEUS_URL: prometheus }),
  };
}

/**
 * Bring the cluster up: reuse its healthy servers, start any that is down (ZooKeeper first, then
 * ClickHouse and Kafka in parallel), install what is missing. Idempotent.
 */
export async function clusterUp(options: ClusterOptions = {}): Promise<ClusterUpResult> {
  const resolved = resolve(options);
  const { layout, specs, progress } = resolved;
  const servers = await withStackLock(
    layout.dir,
    resolved.timeoutMs * 2 + 60_000,
    (holder) => progress(`waiting for another stack command (pid ${holder ?? "?"}) to finish`),
    async () => {
      saveBasePort(layout);
      const plans = await Promise.all(specs.map((spec) => plan(spec, resolved)));
      const toStart = specs.filter((_, index) => plans[index] === "start");
      for (const spec of specs.filter((_, index) => plans[index] === "reuse")) {
        progress(`${spec.name}: healthy (pid ${spec.pid()}): reusing it`);
      }
      const kinds = new Set(toStart.map((spec) => spec.kind));
      try {
        await installMissing(
          [
            ...(kinds.has("zookeeper") ? zookeeperRequirements() : []),
            ...(kinds.has("clickhouse")
              ? [
                  {
                    program: "clickhouse-server",
                    packages: ["clickhouse-server", "clickhouse-client"],
                    present: clickhouseServerBinary() !== undefined,
                  },
                ]
              : []),
            ...(kinds.size > 0 ? kafkaRequirements() : []),
          ],
          progress,
        );
        if (kinds.has("kafka")) await ensureKafkaJars(layout.kafkaJarsDir, progress);
      } catch (error) {
        throw new StackError(error instanceof Error ? error.message : String(error), {
          cause: error,
        });
      }
      // ClickHouse's replicated tables need ZooKeeper from their first start.
      const started = new Map([
        ...(await startGroup(
          toStart.filter((spec) => spec.kind === "zookeeper"),
          progress,
        )),
        ...(await startGroup(
          toStart.filter((spec) => spec.kind !== "zookeeper"),
          progress,
        )),
      ]);
      return Promise.all(
        specs.map(async (spec) => ({
          ...(await serverStatus(spec)),
          action: started.has(spec.name) ? ("started" as const) : ("reused" as const),
        })),
      );
    },
  );
  return {
    ...result(resolved, servers),
    env: clusterEnv(layout, await prometheusUrl(resolved)),
  };
}

/** Health, pid, ports and directory of each of the cluster's servers. */
export async function clusterStatus(options: ClusterOptions = {}): Promise<ClusterStatusResult> {
  const resolved = resolve(options);
  return result(resolved, await Promise.all(resolved.specs.map(serverStatus)));
}

/** Stop the cluster's servers (brokers, then ClickHouse, then ZooKeeper); data is kept. */
export async function clusterDown(options: ClusterOptions = {}): Promise<ClusterStatusResult> {
  const resolved = resolve(options);
  const stopped = new Set<string>();
  for (const kind of ["kafka", "clickhouse", "zookeeper"] as const) {
    await Promise.all(
      resolved.specs
        .filter((spec) => spec.kind === kind)
        .map(async (spec) => {
          const pid = spec.pid();
          if (pid !== undefined) resolved.progress(`${spec.name}: stopping pid ${pid}`);
          if (await spec.stop()) stopped.add(spec.name);
        }),
    );
  }
  const servers = await Promise.all(
    resolved.specs.map(async (spec) => ({
      ...(await serverStatus(spec)),
      action: stopped.has(spec.name) ? ("stopped" as const) : ("not running" as const),
    })),
  );
  return result(resolved, servers);
}

/** One server of the cluster, for fault tests: stop, kill or start it alone. */
export interface ClusterServerHandle {
  readonly name: string;
  readonly kind: ClusterServerKind;
  readonly ports: readonly number[];
  readonly dir: string;
  pid(): number | undefined;
  /** SIGTERM (controlled shutdown), SIGKILL after a grace time; resolves once it is gone. */
  stop(): Promise<void>;
  /** SIGKILL right away; resolves once it is gone. */
  kill(): Promise<void>;
  /** Start it again (no-op while it runs); resolves once it is ready. */
  start(): Promise<void>;
}

/** Handles on each server of the cluster (see ClusterServerHandle). */
export function clusterServerHandles(options: ClusterOptions = {}): ClusterServerHandle[] {
  const resolved = resolve(options);
  return resolved.specs.map((spec) => ({
    name: spec.name,
    kind: spec.kind,
    ports: spec.ports,
    dir: spec.dir,
    pid: () => spec.pid(),
    async stop() {
      await spec.stop();
    },
    async kill() {
      const pid = spec.pid();
      if (pid !== undefined) await killProcess(pid);
      await spec.stop(); // removes the pid file
    },
    async start() {
      if (spec.pid() !== undefined) return;
      await spec.start(resolved.progress);
    },
  }));
}
