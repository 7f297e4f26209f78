// The eight servers of the cluster stack behind one shape (name, kind, ports, directory, pid,
// probe, start, stop), built on the single-node stack's ClickHouse and Kafka modules.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Progress } from "../apt.js";
import { clickhouseFiles } from "../clickhouse-config.js";
import {
  clickhousePid,
  probeClickHouse,
  startClickHouseServer,
  stopClickHouseServer,
} from "../clickhouse-server.js";
import { kafkaFiles } from "../kafka-config.js";
import {
  kafkaPid,
  kafkaVersionFromCommandLine,
  newClusterId,
  prepareKafka,
  probeKafka,
  startKafkaServer,
  stopKafkaServer,
} from "../kafka-server.js";
import { commandLine } from "../processes.js";
import type { ClusterClickHouse, ClusterKafka, ClusterLayout } from "./cluster-layout.js";
import {
  probeZooKeeper,
  startZooKeeper,
  stopZooKeeper,
  zookeeperFiles,
  zookeeperPid,
} from "./zookeeper-server.js";

export type ClusterServerKind = "zookeeper" | "clickhouse" | "kafka";

export interface ClusterServerHealth {
  readonly healthy: boolean;
  readonly version?: string;
}

export interface ClusterServerSpec {
  readonly name: string;
  readonly kind: ClusterServerKind;
  /** The server's directory (config, data, logs, pid file). */
  readonly dir: string;
  /** Every port it listens on; the first is the one probed. */
  readonly ports: readonly number[];
  readonly logFile: string;
  /** Its pid while the process this directory started runs. */
  pid(): number | undefined;
  probe(): Promise<ClusterServerHealth>;
  /** Start (its ports must be free); resolves with the pid once it is ready. */
  start(progress: Progress): Promise<number>;
  /** SIGTERM, SIGKILL after the grace time; false when it was not running. */
  stop(): Promise<boolean>;
}

function zookeeperServer(layout: ClusterLayout, timeoutMs: number): ClusterServerSpec {
  const zk = layout.zookeeper;
  return {
    name: zk.name,
    kind: "zookeeper",
    dir: zk.dir,
    ports: [zk.port],
    logFile: zookeeperFiles(zk.dir).stdoutLog,
    pid: () => zookeeperPid(zk.dir),
    probe: () => probeZooKeeper(zk.port, zk.listenHost),
    start: () => startZooKeeper(zk, timeoutMs),
    stop: () => stopZooKeeper(zk.dir),
  };
}

function clickhouseServer(server: ClusterClickHouse, timeoutMs: number): ClusterServerSpec {
  return {
    name: server.name,
    kind: "clickhouse",
    dir: server.dir,
    ports: [server.httpPort, server.tcpPort, server.cluster!.interserverHttpPort],
    logFile: clickhouseFiles(server.dir).errorLog,
    pid: () => clickhousePid(server.dir),
    probe: () => probeClickHouse(server.httpPort, server.listenHost),
    start: () => startClickHouseServer({ ...server, timeoutMs }),
    stop: () => stopClickHouseServer(server.dir),
  };
}

/** The KRaft cluster id all brokers are formatted with, made once and kept beside the jars. */
function kafkaClusterId(layout: ClusterLayout): string {
  const file = join(layout.kafkaJarsDir, "cluster-id");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(layout.kafkaJarsDir, { recursive: true });
  const id = newClusterId();
  writeFileSync(file, `${id}\n`);
  return id;
}

function kafkaServer(
  layout: ClusterLayout,
  broker: ClusterKafka,
  timeoutMs: number,
): ClusterServerSpec {
  return {
    name: broker.name,
    kind: "kafka",
    dir: broker.dir,
    ports: [broker.port, broker.controllerPort],
    logFile: kafkaFiles(broker.dir).serverLog,
    pid: () => kafkaPid(broker.dir),
    async probe() {
      const probe = await probeKafka(broker.port, broker.listenHost);
      if (!probe.healthy) return { healthy: false };
      const pid = kafkaPid(broker.dir);
      const version = pid === undefined ? undefined : kafkaVersionFromCommandLine(commandLine(pid));
      return { healthy: true, version };
    },
    async start(progress) {
      const libs = kafkaFiles(broker.dir).libs;
      mkdirSync(broker.dir, { recursive: true });
      if (!existsSync(libs)) symlinkSync(kafkaFiles(layout.kafkaJarsDir).libs, libs);
      await prepareKafka(broker, kafkaClusterId(layout));
      progress(`${broker.name}: starting Kafka ${broker.version} node ${broker.nodeId}`);
      return startKafkaServer(broker, timeoutMs);
    },
    stop: () => stopKafkaServer(broker.dir),
  };
}

/** ZooKeeper first, then the ClickHouse servers, then the brokers. */
export function clusterServers(layout: ClusterLayout, timeoutMs: number): ClusterServerSpec[] {
  return [
    zookeeperServer(layout, timeoutMs),
    ...layout.clickhouse.map((server) => clickhouseServer(server, timeoutMs)),
    ...layout.kafka.map((broker) => kafkaServer(layout, broker, timeoutMs)),
  ];
}
