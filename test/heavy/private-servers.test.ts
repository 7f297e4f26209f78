// The heavy files' private servers: a ClickHouse and a Kafka broker of the file's own that can be
// SIGKILLed and started again with their data, without touching the shared stack.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createKafkaClient } from "../../src/kafka/index.js";
import { createHttpEngine, sql } from "../../src/store/index.js";
import { createLogger } from "../../src/util/logger.js";
import { startPrivateServers, type PrivateServers } from "./private-servers.js";

let servers: PrivateServers;

beforeAll(async () => {
  servers = await startPrivateServers();
});
afterAll(async () => {
  await servers?.destroy();
});

it("keeps a topic's records and a table's rows across SIGKILL and restart of both servers", async () => {
  const kafka = createKafkaClient(
    { brokers: [...servers.kafka.brokers], clientId: "private-servers-test" },
    createLogger("private-servers-test", "silent"),
  );
  const admin = kafka.admin();
  await admin.connect();
  await admin.ensureTopics([{ topic: "kept", partitions: 1, replicationFactor: 1 }]);
  await admin.close();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send("kept", [{ value: "one" }, { value: "two" }]);
  await producer.close();
  const engine = createHttpEngine({ url: servers.clickhouse.url });
  await engine.command(sql`CREATE TABLE default.kept (x UInt8) ENGINE = MergeTree ORDER BY x`);
  await engine.insert("default.kept", [{ x: 1 }, { x: 2 }]);

  const kafkaPid = servers.kafka.pid();
  const clickhousePid = servers.clickhouse.pid();
  await Promise.all([servers.kafka.kill(), servers.clickhouse.kill()]);
  expect(servers.kafka.pid()).toBeUndefined();
  expect(servers.clickhouse.pid()).toBeUndefined();
  await Promise.all([servers.kafka.start(), servers.clickhouse.start()]);
  expect(servers.kafka.pid()).not.toBe(kafkaPid);
  expect(servers.clickhouse.pid()).not.toBe(clickhousePid);

  const [row] = await engine.query<{ n: number }>(sql`SELECT count() AS n FROM default.kept`);
  expect(Number(row!.n)).toBe(2);
  await engine.close();
  const reader = kafka.admin();
  await reader.connect();
  const [marks] = await reader.watermarks("kept");
  await reader.close();
  expect(marks).toMatchObject({ partition: 0, low: 0, high: 2 });
});
