// `stack up --cluster` on the cluster project's private cluster (free ports, temp dir, started
// once for test/cluster/ by test/setup/cluster.ts): the eight servers come up; a topic gets replication factor 3 and min.insync.replicas 2;
// `CREATE … ON CLUSTER driftwatch` makes ReplicatedMergeTree tables whose rows reach the partner
// replica and a Distributed table over both shards; a killed broker and a stopped replica are
// restarted by the next `up` (idempotent), the replica catching up on what it missed.
import { randomBytes } from "node:crypto";
import { ConfigResourceTypes, Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { waitFor } from "../support/clock.js";
import { sharedTestCluster, type TestCluster } from "../support/cluster.js";

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await sharedTestCluster();
});

afterAll(async () => {
  await cluster?.stop(); // the shared cluster stays up for the next file
});

/** Run SQL on one ClickHouse server over HTTP; the body as text. */
async function query(url: string, text: string): Promise<string> {
  const response = await fetch(`${url}/`, { method: "POST", body: text });
  const body = await response.text();
  if (!response.ok) throw new Error(`ClickHouse ${url}: ${response.status} ${body}`);
  return body.trim();
}

function kafkaClient(): Kafka {
  return new Kafka({
    clientId: "dwtest-cluster",
    brokers: cluster.env.DRIFTWATCH_KAFKA_BROKERS!.split(","),
    logLevel: logLevel.NOTHING,
  });
}

const url = (name: string): string => cluster.clickhouse.find((s) => s.name === name)!.url;

describe("stack up --cluster", () => {
  it("runs ZooKeeper, four ClickHouse servers and three brokers, and prints the cluster's env", async () => {
    const status = await cluster.status();
    expect(status.healthy).toBe(true);
    expect(status.servers.map((server) => [server.name, server.kind, server.state])).toEqual([
      ["zookeeper", "zookeeper", "healthy"],
      ["clickhouse-s1r1", "clickhouse", "healthy"],
      ["clickhouse-s1r2", "clickhouse", "healthy"],
      ["clickhouse-s2r1", "clickhouse", "healthy"],
      ["clickhouse-s2r2", "clickhouse", "healthy"],
      ["kafka-1", "kafka", "healthy"],
      ["kafka-2", "kafka", "healthy"],
      ["kafka-3", "kafka", "healthy"],
    ]);
    // DESIGN's status --json entry: name, kind, pid, ports, dir.
    for (const server of status.servers) {
      expect(server.pid).toBeGreaterThan(0);
      expect(server.ports.length).toBeGreaterThan(0);
      expect(server.dir.startsWith(`${cluster.dir}/cluster/`)).toBe(true);
    }
    const ports = status.servers.flatMap((server) => server.ports);
    expect(new Set(ports).size).toBe(ports.length);
    expect(cluster.env.DRIFTWATCH_CLICKHOUSE_CLUSTER).toBe("driftwatch");
    expect(cluster.env.DRIFTWATCH_KAFKA_BROKERS!.split(",")).toHaveLength(3);
    expect(cluster.env.DRIFTWATCH_CLICKHOUSE_URL).toBe(url("clickhouse-s1r1"));
    const clusters = await query(
      url("clickhouse-s2r2"),
      "SELECT shard_num, replica_num, port FROM system.clusters WHERE cluster = 'driftwatch' ORDER BY shard_num, replica_num FORMAT CSV",
    );
    expect(clusters.split("\n").map((line) => line.split(",").slice(0, 2).join("."))).toEqual([
      "1.1",
      "1.2",
      "2.1",
      "2.2",
    ]);
  });

  it("the CLI: `stack up --cluster` reuses all eight and prints the env, `status --cluster --json` lists them", async () => {
    const where = ["--dir", cluster.dir, "--base-port", String(cluster.basePort)];
    const up = await runCli(["stack", "up", "--cluster", ...where]);
    expect(up.code, up.stderr).toBe(0);
    const exported = Object.fromEntries(
      up.stdout
        .trim()
        .split("\n")
        .map((line) => /^export (\w+)=(.*)$/.exec(line)!.slice(1, 3) as [string, string]),
    );
    for (const name of [
      "DRIFTWATCH_KAFKA_BROKERS",
      "DRIFTWATCH_CLICKHOUSE_URL",
      "DRIFTWATCH_CLICKHOUSE_DATABASE",
      "DRIFTWATCH_CLICKHOUSE_CLUSTER",
    ]) {
      expect(exported[name], name).toBe(cluster.env[name]);
    }
    expect(up.stderr.match(/: reused, pid \d+/g)).toHaveLength(8);

    const status = await runCli(["stack", "status", "--cluster", "--json", ...where]);
    expect(status.code, status.stderr).toBe(0);
    const { servers } = JSON.parse(status.stdout) as {
      servers: { name: string; kind: string; pid: number; ports: number[]; dir: string }[];
    };
    expect(servers).toHaveLength(8);
    for (const server of servers) {
      expect(Object.keys(server)).toEqual(
        expect.arrayContaining(["name", "kind", "pid", "ports", "dir"]),
      );
      expect(["kafka", "clickhouse", "zookeeper", "prometheus"]).toContain(server.kind);
    }
  });

  it("creates topics with replication factor 3 and min.insync.replicas 2", async () => {
    const topic = `dwtest.cluster.${randomBytes(4).toString("hex")}`;
    const admin = kafkaClient().admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const replicas = metadata.topics[0]!.partitions.map((partition) => partition.replicas.length);
      expect(replicas).toEqual([3, 3, 3]);
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ["min.insync.replicas"] },
        ],
      });
      expect(configs.resources[0]!.configEntries[0]!.configValue).toBe("2");
      await admin.deleteTopics({ topics: [topic] });
    } finally {
      await admin.disconnect();
    }
  });

  it("replicates ON CLUSTER tables between partners and reads both shards through Distributed", async () => {
    const db = `dwtest_cluster_${randomBytes(4).toString("hex")}`;
    const first = url("clickhouse-s1r1");
    await query(first, `CREATE DATABASE ${db} ON CLUSTER driftwatch`);
    await query(
      first,
      `CREATE TABLE ${db}.events ON CLUSTER driftwatch (id UInt64, shard String) ` +
        `ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/${db}/events', '{replica}') ORDER BY id`,
    );
    await query(
      first,
      `CREATE TABLE ${db}.events_all ON CLUSTER driftwatch AS ${db}.events ` +
        `ENGINE = Distributed(driftwatch, ${db}, events, id)`,
    );
    await query(first, `INSERT INTO ${db}.events VALUES (1, 's1'), (2, 's1')`);
    await query(url("clickhouse-s2r1"), `INSERT INTO ${db}.events VALUES (3, 's2')`);
    await waitFor(
      "the partners' copies",
      async () => [
        await query(url("clickhouse-s1r2"), `SELECT count() FROM ${db}.events`),
        await query(url("clickhouse-s2r2"), `SELECT count() FROM ${db}.events`),
      ],
      (counts) => counts.join() === "2,1",
      30_000,
    );
    expect(await query(url("clickhouse-s2r2"), `SELECT count() FROM ${db}.events_all`)).toBe("3");
    await query(first, `DROP DATABASE ${db} ON CLUSTER driftwatch`);
  });

  it("up restarts a killed broker and a stopped replica, which catches up", async () => {
    const db = `dwtest_restart_${randomBytes(4).toString("hex")}`;
    const partner = url("clickhouse-s2r1");
    await query(partner, `CREATE DATABASE ${db} ON CLUSTER driftwatch`);
    await query(
      partner,
      `CREATE TABLE ${db}.t ON CLUSTER driftwatch (id UInt64) ` +
        `ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/${db}/t', '{replica}') ORDER BY id`,
    );
    const topic = `dwtest.cluster.${randomBytes(4).toString("hex")}`;
    const admin = kafkaClient().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const broker = cluster.server("kafka-2");
    const replica = cluster.server("clickhouse-s2r2");
    const killedPid = broker.pid();
    await broker.kill();
    await replica.stop();
    // (The surviving brokers may answer slowly for a moment while the quorum re-elects.)
    expect(
      (await cluster.status()).servers
        .filter((server) => server.state === "stopped")
        .map((server) => [server.name, server.pid]),
    ).toEqual([
      ["clickhouse-s2r2", null],
      ["kafka-2", null],
    ]);
    // Meanwhile, writes go on: min.insync.replicas 2 of 3 brokers, and the other replica.
    await query(partner, `INSERT INTO ${db}.t VALUES (1), (2), (3)`);
    const producer = kafkaClient().producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: "while one broker is down" }] });
    await producer.disconnect();

    const again = await cluster.up();
    expect(Object.fromEntries(again.servers.map((server) => [server.name, server.action]))).toEqual(
      {
        zookeeper: "reused",
        "clickhouse-s1r1": "reused",
        "clickhouse-s1r2": "reused",
        "clickhouse-s2r1": "reused",
        "clickhouse-s2r2": "started",
        "kafka-1": "reused",
        "kafka-2": "started",
        "kafka-3": "reused",
      },
    );
    expect(again.healthy).toBe(true);
    expect(broker.pid()).not.toBe(killedPid);
    await waitFor(
      "the restarted replica to catch up",
      () => query(url("clickhouse-s2r2"), `SELECT count() FROM ${db}.t`),
      (count) => count === "3",
      60_000,
    );
    await query(partner, `DROP DATABASE ${db} ON CLUSTER driftwatch`);
  });
});
