// The cluster stack's generated configs (pure): ports from the base port, ClickHouse's cluster
// sections (ZooKeeper, macros, remote_servers with 2 shards × 2 replicas, distributed_ddl,
// interserver port), the brokers' KRaft quorum and replication, zoo.cfg, and the env it prints.
import { describe, expect, it } from "vitest";
import { clickhouseConfigXml, clickhouseUsersXml } from "../../../src/stack/clickhouse-config.js";
import {
  clusterLayout,
  DEFAULT_CLUSTER_BASE_PORT,
  resolveBasePort,
} from "../../../src/stack/cluster/cluster-layout.js";
import { clusterEnv } from "../../../src/stack/cluster/cluster-stack.js";
import { zookeeperConfig } from "../../../src/stack/cluster/zookeeper-server.js";
import { kafkaJvmOptions, kafkaServerProperties } from "../../../src/stack/kafka-config.js";
import { DEFAULT_PORTS } from "../../../src/stack/ports.js";

function properties(text: string): Map<string, string> {
  return new Map(
    text
      .split("\n")
      .filter((line) => line.includes("=") && !line.startsWith("#"))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

const layout = clusterLayout("/s", DEFAULT_CLUSTER_BASE_PORT);

describe("cluster layout", () => {
  it("gives eight servers distinct ports away from the single-node stack's, and dirs under cluster/", () => {
    const ports = [
      layout.zookeeper.port,
      ...layout.clickhouse.flatMap((s) => [s.httpPort, s.tcpPort, s.cluster!.interserverHttpPort]),
      ...layout.kafka.flatMap((b) => [b.port, b.controllerPort]),
    ];
    expect(ports).toHaveLength(1 + 4 * 3 + 3 * 2);
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of Object.values(DEFAULT_PORTS)) expect(ports).not.toContain(port);
    expect(layout.clickhouse.map((s) => [s.name, s.dir])).toEqual([
      ["clickhouse-s1r1", "/s/cluster/clickhouse-s1r1"],
      ["clickhouse-s1r2", "/s/cluster/clickhouse-s1r2"],
      ["clickhouse-s2r1", "/s/cluster/clickhouse-s2r1"],
      ["clickhouse-s2r2", "/s/cluster/clickhouse-s2r2"],
    ]);
    expect(layout.kafka.map((b) => b.dir)).toEqual([
      "/s/cluster/kafka-1",
      "/s/cluster/kafka-2",
      "/s/cluster/kafka-3",
    ]);
  });

  it("takes the base port from the option, then the env, then 29100", () => {
    const env = { DRIFTWATCH_STACK_CLUSTER_BASE_PORT: "31000" };
    expect(resolveBasePort("/nonexistent", env, 32000)).toBe(32000);
    expect(resolveBasePort("/nonexistent", env, undefined)).toBe(31000);
    expect(resolveBasePort("/nonexistent", {}, undefined)).toBe(29100);
    expect(() => clusterLayout("/s", 65500)).toThrow(/needs ports 65500–/);
  });

  it("prints the three brokers, the first ClickHouse server and the cluster name", () => {
    expect(clusterEnv(layout)).toEqual({
      DRIFTWATCH_KAFKA_BROKERS: "localhost:29150,localhost:29151,localhost:29152",
      DRIFTWATCH_CLICKHOUSE_URL: "http://localhost:29120",
      DRIFTWATCH_CLICKHOUSE_DATABASE: "driftwatch",
      DRIFTWATCH_CLICKHOUSE_CLUSTER: "driftwatch",
    });
  });
});

describe("cluster ClickHouse config", () => {
  const server = layout.clickhouse[2]!; // shard 2, replica 1
  const xml = clickhouseConfigXml(server);

  it("names ZooKeeper, its macros and the distributed DDL queue", () => {
    expect(xml).toContain(
      `<node><host>127.0.0.1</host><port>${layout.zookeeper.port}</port></node>`,
    );
    expect(xml).toMatch(
      /<macros>\s*<cluster>driftwatch<\/cluster>\s*<shard>2<\/shard>\s*<replica>clickhouse-s2r1<\/replica>/,
    );
    expect(xml).toContain("<path>/clickhouse/driftwatch/task_queue/ddl</path>");
    expect(xml).toContain(
      `<interserver_http_port>${server.cluster!.interserverHttpPort}</interserver_http_port>`,
    );
    expect(xml).toContain("<interserver_http_host>127.0.0.1</interserver_http_host>");
  });

  it("declares cluster driftwatch: 2 shards of 2 replicas with internal replication", () => {
    const remote = /<remote_servers>([\s\S]*)<\/remote_servers>/.exec(xml)![1]!;
    const shards = remote.split("<shard>").slice(1);
    expect(shards).toHaveLength(2);
    for (const [index, shard] of shards.entries()) {
      expect(shard).toContain("<internal_replication>true</internal_replication>");
      const ports = [...shard.matchAll(/<port>(\d+)<\/port>/g)].map((match) => Number(match[1]));
      expect(ports).toEqual(
        layout.clickhouse.filter((s) => s.shard === index + 1).map((s) => s.tcpPort),
      );
    }
  });

  it("caps the caches and per-query memory", () => {
    expect(xml).toContain("<mark_cache_size>67108864</mark_cache_size>");
    expect(xml).toContain("<uncompressed_cache_size>67108864</uncompressed_cache_size>");
    expect(clickhouseUsersXml(server.limits)).toContain(
      "<max_memory_usage>2000000000</max_memory_usage>",
    );
  });
});

describe("cluster Kafka and ZooKeeper config", () => {
  it("makes each broker a KRaft voter of three with replication factor 3 and min.insync 2", () => {
    const configs = layout.kafka.map((broker) => properties(kafkaServerProperties(broker)));
    const voters = layout.kafka.map((b) => `${b.nodeId}@127.0.0.1:${b.controllerPort}`).join(",");
    expect(configs.map((config) => config.get("node.id"))).toEqual(["1", "2", "3"]);
    for (const config of configs) {
      expect(config.get("controller.quorum.voters")).toBe(voters);
      expect(config.get("default.replication.factor")).toBe("3");
      expect(config.get("min.insync.replicas")).toBe("2");
      expect(config.get("offsets.topic.replication.factor")).toBe("3");
      expect(config.get("transaction.state.log.replication.factor")).toBe("3");
      expect(config.get("transaction.state.log.min.isr")).toBe("2");
    }
    expect(kafkaJvmOptions(layout.kafka[0]!)).toContain("-Xmx384m");
  });

  it("runs ZooKeeper standalone on loopback without its admin HTTP server", () => {
    const config = properties(zookeeperConfig(layout.zookeeper));
    expect(config.get("clientPort")).toBe(String(layout.zookeeper.port));
    expect(config.get("clientPortAddress")).toBe("127.0.0.1");
    expect(config.get("admin.enableServer")).toBe("false");
    expect(config.get("dataDir")).toBe("/s/cluster/zookeeper/data");
  });
});
