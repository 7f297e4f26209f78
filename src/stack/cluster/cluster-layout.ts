// Where the cluster stack (`stack up --cluster`) puts its eight servers: one ZooKeeper, four
// ClickHouse servers (2 shards × 2 replicas) and three Kafka brokers, each in a directory of its own
// under `<stack dir>/cluster/`, on ports counted from one base port (default 29100, away from the
// single-node stack's 8123/9000/9092/9093/9090, so both run side by side).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClickHouseLayout, ClickHouseLimits } from "../clickhouse-config.js";
import { KAFKA_VERSION, type KafkaLayout } from "../kafka-config.js";
import { InvalidPortError, parsePort } from "../ports.js";

/** The name of the cluster in ClickHouse's remote_servers (and DRIFTWATCH_CLICKHOUSE_CLUSTER). */
export const CLUSTER_NAME = "driftwatch";
export const DEFAULT_CLUSTER_BASE_PORT = 29100;
export const CLUSTER_BASE_PORT_ENV = "DRIFTWATCH_STACK_CLUSTER_BASE_PORT";
export const CLUSTER_SHARDS = 2;
export const CLUSTER_REPLICAS = 2;
export const CLUSTER_BROKERS = 3;
/** Replication factor and min.insync.replicas of the brokers. */
export const KAFKA_CLUSTER_REPLICATION = { replicationFactor: 3, minInsyncReplicas: 2 } as const;

/** Heaps and caches, capped so eight servers fit a small machine. */
export const CLUSTER_KAFKA_HEAP = "384m";
export const CLUSTER_ZOOKEEPER_HEAP = "256m";
export const CLUSTER_CLICKHOUSE_LIMITS: ClickHouseLimits = {
  markCacheBytes: 64 * 1024 * 1024,
  uncompressedCacheBytes: 64 * 1024 * 1024,
  maxMemoryUsage: 2_000_000_000,
};

/**
 * Ports relative to the base: ZooKeeper +0; ClickHouse server i (0–3) HTTP +20+i, native TCP
 * +30+i, interserver +40+i; Kafka broker j (0–2) +50+j, its controller +60+j.
 */
export const PORT_OFFSETS = {
  zookeeper: 0,
  clickhouseHttp: 20,
  clickhouseTcp: 30,
  clickhouseInterserver: 40,
  kafka: 50,
  kafkaController: 60,
} as const;
/** The highest offset used: base + PORT_SPAN must still be a port. */
export const PORT_SPAN = 62;

export interface ZooKeeperLayout {
  readonly name: string;
  readonly dir: string;
  readonly port: number;
  readonly listenHost: string;
  readonly heap: string;
}

export interface ClusterClickHouse extends ClickHouseLayout {
  readonly name: string;
  readonly shard: number;
  readonly replica: number;
}

export interface ClusterKafka extends KafkaLayout {
  readonly name: string;
  readonly nodeId: number;
}

export interface ClusterLayout {
  /** `<stack dir>/cluster`. */
  readonly dir: string;
  readonly basePort: number;
  readonly listenHost: string;
  readonly zookeeper: ZooKeeperLayout;
  readonly clickhouse: readonly ClusterClickHouse[];
  readonly kafka: readonly ClusterKafka[];
  /** Directory whose libs/ holds the Kafka jars all brokers link to. */
  readonly kafkaJarsDir: string;
}

/** The cluster layout for a stack directory and base port. */
export function clusterLayout(stackDir: string, basePort: number): ClusterLayout {
  if (basePort < 1 || basePort + PORT_SPAN > 65535) {
    throw new InvalidPortError(
      `cluster base port ${basePort}: the cluster needs ports ${basePort}–${basePort + PORT_SPAN}`,
    );
  }
  const dir = join(stackDir, "cluster");
  const listenHost = "127.0.0.1";
  const zookeeper: ZooKeeperLayout = {
    name: "zookeeper",
    dir: join(dir, "zookeeper"),
    port: basePort + PORT_OFFSETS.zookeeper,
    listenHost,
    heap: CLUSTER_ZOOKEEPER_HEAP,
  };
  const servers: { shard: number; replica: number; index: number }[] = [];
  for (let shard = 1; shard <= CLUSTER_SHARDS; shard++) {
    for (let replica = 1; replica <= CLUSTER_REPLICAS; replica++) {
      servers.push({ shard, replica, index: servers.length });
    }
  }
  const tcpPort = (index: number) => basePort + PORT_OFFSETS.clickhouseTcp + index;
  const shards = Array.from({ length: CLUSTER_SHARDS }, (_, s) =>
    servers
      .filter((server) => server.shard === s + 1)
      .map((server) => ({
        tcpPort: tcpPort(server.index),
      })),
  );
  const clickhouse = servers.map(({ shard, replica, index }): ClusterClickHouse => {
    const name = `clickhouse-s${shard}r${replica}`;
    return {
      name,
      shard,
      replica,
      dir: join(dir, name),
      httpPort: basePort + PORT_OFFSETS.clickhouseHttp + index,
      tcpPort: tcpPort(index),
      listenHost,
      limits: CLUSTER_CLICKHOUSE_LIMITS,
      cluster: {
        name: CLUSTER_NAME,
        shard: String(shard),
        replica: name,
        interserverHttpPort: basePort + PORT_OFFSETS.clickhouseInterserver + index,
        zookeeper: { host: listenHost, port: zookeeper.port },
        shards,
        ddlPath: `/clickhouse/${CLUSTER_NAME}/task_queue/ddl`,
      },
    };
  });
  const voters = Array.from({ length: CLUSTER_BROKERS }, (_, j) => ({
    nodeId: j + 1,
    controllerPort: basePort + PORT_OFFSETS.kafkaController + j,
  }));
  const kafka = voters.map((voter, j): ClusterKafka => ({
    name: `kafka-${voter.nodeId}`,
    nodeId: voter.nodeId,
    dir: join(dir, `kafka-${voter.nodeId}`),
    port: basePort + PORT_OFFSETS.kafka + j,
    controllerPort: voter.controllerPort,
    listenHost,
    version: KAFKA_VERSION,
    heap: CLUSTER_KAFKA_HEAP,
    cluster: { nodeId: voter.nodeId, voters, ...KAFKA_CLUSTER_REPLICATION },
  }));
  return {
    dir,
    basePort,
    listenHost,
    zookeeper,
    clickhouse,
    kafka,
    kafkaJarsDir: join(dir, "kafka"),
  };
}

/** `<cluster dir>/cluster.json`: the base port the cluster was first brought up with. */
function savedSettingsFile(clusterDir: string): string {
  return join(clusterDir, "cluster.json");
}

export function savedBasePort(stackDir: string): number | undefined {
  const file = savedSettingsFile(join(stackDir, "cluster"));
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { basePort?: unknown };
    return typeof parsed.basePort === "number" ? parsed.basePort : undefined;
  } catch {
    return undefined;
  }
}

export function saveBasePort(layout: ClusterLayout): void {
  mkdirSync(layout.dir, { recursive: true });
  writeFileSync(
    savedSettingsFile(layout.dir),
    JSON.stringify({ basePort: layout.basePort }, null, 2) + "\n",
  );
}

/**
 * The base port: the option, else DRIFTWATCH_STACK_CLUSTER_BASE_PORT, else the one the cluster of
 * this stack directory was brought up with, else 29100.
 */
export function resolveBasePort(
  stackDir: string,
  env: NodeJS.ProcessEnv,
  option: number | undefined,
): number {
  if (option !== undefined) return parsePort(String(option), "basePort");
  const text = env[CLUSTER_BASE_PORT_ENV];
  if (text !== undefined && text.trim() !== "") return parsePort(text, CLUSTER_BASE_PORT_ENV);
  return savedBasePort(stackDir) ?? DEFAULT_CLUSTER_BASE_PORT;
}
