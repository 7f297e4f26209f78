// Ingestion set-up: a database, topics and a consumer group of the test's own on a real Kafka and
// ClickHouse (the test stack's, or private servers), an Ingester on them, producing and reading
// records, the counts the product reports (raw, FINAL, distinct) and a config file for children.
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ingester, type IngesterSettings } from "../../src/ingest/ingester.js";
import { createKafkaClient } from "../../src/kafka/index.js";
import type { KafkaClient, KafkaRecord, OutgoingRecord } from "../../src/kafka/index.js";
import { IngestMetrics } from "../../src/ingest/ingest-metrics.js";
import { createMetricsRegistry, type Registry } from "../../src/metrics/registry.js";
import {
  applyMigrations,
  createHttpEngine,
  dropDatabase,
  sql,
  tableRef,
  type SqlEngine,
} from "../../src/store/index.js";
import { brokers, stackEnv, testLogger, uniqueDatabase } from "./stack.js";

export const PARTITIONS = 3;

export interface IngestTestEnv {
  readonly tag: string;
  readonly database: string;
  readonly clickhouseUrl: string;
  /** Bootstrap brokers of the Kafka the environment lives on. */
  readonly brokers: readonly string[];
  readonly topics: { readonly predictions: string; readonly labels: string; readonly dlq: string };
  readonly groupId: string;
  readonly kafka: KafkaClient;
  readonly engine: SqlEngine;
  cleanup(): Promise<void>;
}

/** Database, topics and group of a test's own; `cleanup()` drops and deletes them. */
export async function createIngestTestEnv(
  tag: string,
  options: { clickhouseUrl?: string; brokers?: readonly string[] } = {},
): Promise<IngestTestEnv> {
  const suffix = randomBytes(4).toString("hex");
  const clickhouseUrl = options.clickhouseUrl ?? stackEnv("DRIFTWATCH_CLICKHOUSE_URL");
  const kafkaBrokers = options.brokers ?? brokers();
  const database = uniqueDatabase(tag);
  const topics = {
    predictions: `dwtest.${tag}.${suffix}.predictions`,
    labels: `dwtest.${tag}.${suffix}.labels`,
    dlq: `dwtest.${tag}.${suffix}.dlq`,
  };
  const kafka = createKafkaClient(
    { brokers: [...kafkaBrokers], clientId: `dwtest-${tag}` },
    testLogger(`kafka-${tag}`),
  );
  const engine = createHttpEngine({ url: clickhouseUrl, requestTimeoutMs: 30_000 });
  await applyMigrations(engine, database);
  const admin = kafka.admin();
  await admin.connect();
  await admin.ensureTopics(
    Object.values(topics).map((topic) => ({ topic, partitions: PARTITIONS, replicationFactor: 1 })),
  );
  await admin.close();
  return {
    tag,
    database,
    clickhouseUrl,
    brokers: kafkaBrokers,
    topics,
    groupId: `dwtest-${tag}-${suffix}`,
    kafka,
    engine,
    async cleanup() {
      const cleaner = kafka.admin();
      await cleaner.connect();
      await cleaner.deleteTopics(Object.values(topics)).catch(() => undefined);
      await cleaner.close();
      await dropDatabase(engine, database).catch(() => undefined);
      await engine.close();
    },
  };
}

export function settingsFor(
  env: IngestTestEnv,
  overrides: Partial<IngesterSettings> = {},
): IngesterSettings {
  return {
    database: env.database,
    topics: env.topics,
    groupId: env.groupId,
    topicPartitions: PARTITIONS,
    replicationFactor: 1,
    batchMaxRows: 2_000,
    batchMaxWaitMs: 200,
    maxEventBytes: 1_048_576,
    dedupWindowEvents: 100_000,
    retry: { minBackoffMs: 100, maxBackoffMs: 1_000 },
    sessionTimeoutMs: 10_000,
    ...overrides,
  };
}

export interface RunningIngester {
  readonly ingester: Ingester;
  /** Errors the ingester reported as fatal (a test expects none). */
  readonly fatal: Error[];
  readonly metrics: IngestMetrics;
  readonly registry: Registry;
  /** The value of a metric series (0 when absent). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

export async function startIngester(
  env: IngestTestEnv,
  overrides: Partial<IngesterSettings> = {},
  engine: SqlEngine = env.engine,
): Promise<RunningIngester> {
  const registry = createMetricsRegistry();
  const metrics = new IngestMetrics(registry);
  const ingester = new Ingester(settingsFor(env, overrides), {
    kafka: env.kafka,
    engine,
    metrics,
    logger: testLogger(`ingester-${env.tag}`),
  });
  const fatal: Error[] = [];
  ingester.onFatal((error) => fatal.push(error));
  await ingester.start();
  return {
    ingester,
    fatal,
    metrics,
    registry,
    async metric(name, labels = {}) {
      const metric = registry.getSingleMetric(name);
      if (metric === undefined) return 0;
      const { values } = await metric.get();
      const wanted = Object.entries(labels);
      return values
        .filter((value) => wanted.every(([key, text]) => String(value.labels[key]) === text))
        .reduce((sum, value) => sum + value.value, 0);
    },
  };
}

/** Produce records (in requests of 1,000), acknowledged by the broker. */
export async function produce(
  kafka: KafkaClient,
  topic: string,
  records: readonly OutgoingRecord[],
): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let start = 0; start < records.length; start += 1_000) {
      await producer.send(topic, records.slice(start, start + 1_000));
    }
  } finally {
    await producer.close();
  }
}

export interface PredictionEventOptions {
  readonly model?: string;
  readonly from?: number;
  readonly prefix?: string;
}

/** A deterministic prediction event number `i` (features derived from i). */
export function predictionEvent(i: number, options: PredictionEventOptions = {}): string {
  return JSON.stringify({
    event_id: `${options.prefix ?? "ev"}-${i}`,
    model: options.model ?? "credit-risk",
    model_version: "3",
    timestamp: 1_795_420_800_000 + i * 10,
    features: {
      age: 20 + (i % 50),
      income: 1000.5 * (i % 97),
      region: ["EU", "US", "APAC"][i % 3],
      employed: i % 2 === 0,
      score: i % 10 === 0 ? null : i / 7,
    },
    prediction: (i % 100) / 100,
  });
}

/** Records for events from..from+count-1, keyed by event_id. */
export function predictionRecords(
  count: number,
  options: PredictionEventOptions = {},
): OutgoingRecord[] {
  const from = options.from ?? 0;
  return Array.from({ length: count }, (_, k) => ({
    key: `${options.prefix ?? "ev"}-${from + k}`,
    value: predictionEvent(from + k, options),
  }));
}

export interface TableCounts {
  /** Physical rows (duplicates included until merged). */
  readonly rows: number;
  /** Rows after ReplacingMergeTree collapsing (what counting queries see). */
  readonly final: number;
  /** Distinct (model, event_id). */
  readonly distinct: number;
}

export async function tableCounts(
  engine: SqlEngine,
  database: string,
  table: "predictions" | "labels",
): Promise<TableCounts> {
  const ref = tableRef(database, table);
  // FINAL first: rows still arriving then show in the later counts, never only in FINAL (a
  // wait for `final` to reach a total must not see a raw count read before the last insert).
  const [final] = await engine.query<{ n: number }>(sql`SELECT count() AS n FROM ${ref} FINAL`);
  const [row] = await engine.query<{ rows: number; distinct: number }>(
    sql`SELECT count() AS rows, uniqExact(model, event_id) AS distinct FROM ${ref}`,
  );
  return { rows: Number(row!.rows), final: Number(final!.n), distinct: Number(row!.distinct) };
}

export async function deadLetterCount(engine: SqlEngine, database: string): Promise<number> {
  const [row] = await engine.query<{ n: number }>(
    sql`SELECT count() AS n FROM ${tableRef(database, "dead_letters")}`,
  );
  return Number(row!.n);
}

/** Read `count` records of `topic` from the beginning (with a throw-away consumer group). */
export async function readTopic(
  kafka: KafkaClient,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<(KafkaRecord & { partition: number })[]> {
  const consumer = kafka.consumerGroup({
    groupId: `dwtest-reader-${randomBytes(4).toString("hex")}`,
    topics: [topic],
    fromBeginning: true,
  });
  const records: (KafkaRecord & { partition: number })[] = [];
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  await consumer.start(async (batch) => {
    for (const record of batch.records) records.push({ ...record, partition: batch.partition });
    if (records.length >= count) resolveDone();
  });
  const timer = setTimeout(resolveDone, timeoutMs);
  await done;
  clearTimeout(timer);
  await consumer.stop();
  return records;
}

/** Committed offset per partition minus the log end: all zero once everything is committed. */
export async function uncommitted(env: IngestTestEnv, topic: string): Promise<number> {
  const admin = env.kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.watermarks(topic);
    const committed = await admin.committedOffsets(env.groupId, topic);
    return ends.reduce((sum, end) => {
      const position = committed.find((entry) => entry.partition === end.partition)?.offset ?? -1;
      return sum + (end.high - Math.max(position, end.low));
    }, 0);
  } finally {
    await admin.close();
  }
}

/** A driftwatch.yaml for child processes, pointing at this test's database and topics. */
export function writeConfigFile(env: IngestTestEnv, ingest: Record<string, number> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `dwtest-${env.tag}-`));
  const path = join(dir, "driftwatch.yaml");
  const ingestLines = Object.entries({ batchMaxWaitMs: 200, ...ingest })
    .map(([key, value]) => `  ${key}: ${value}`)
    .join("\n");
  writeFileSync(
    path,
    `kafka:
  brokers: [${env.brokers.map((broker) => JSON.stringify(broker)).join(", ")}]
  groupId: ${env.groupId}
  topicPartitions: ${PARTITIONS}
  topics:
    predictions: ${env.topics.predictions}
    labels: ${env.topics.labels}
    dlq: ${env.topics.dlq}
clickhouse:
  url: ${env.clickhouseUrl}
  database: ${env.database}
server:
  host: 127.0.0.1
  port: 0
ingest:
${ingestLines}
  retry:
    minBackoffMs: 100
    maxBackoffMs: 1000
`,
  );
  return path;
}
