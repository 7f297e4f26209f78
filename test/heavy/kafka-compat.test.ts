// Kafka 3.9 compatibility (DESIGN: the stack runs Kafka 4.x; a 3.9 broker keeps working): on a
// private Kafka 3.9.1 broker of this file's own, the kafkajs-based ingester stores 5,000 valid
// events once, dead-letters 40 invalid ones, drops a producer resend, and the evaluator election
// elects one monitor and fails over.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { createKafkaClient } from "../../src/kafka/index.js";
import { createMetricsRegistry } from "../../src/metrics/index.js";
import { createMonitor, type Monitor } from "../../src/monitor/index.js";
import {
  KAFKA_COMPAT_VERSION,
  startPrivateKafka,
  type PrivateKafka,
} from "../../src/stack/index.js";
import { createLogger } from "../../src/util/logger.js";
import { waitFor } from "../support/clock.js";
import {
  createIngestTestEnv,
  deadLetterCount,
  predictionRecords,
  produce,
  startIngester,
  tableCounts,
  uncommitted,
  type IngestTestEnv,
} from "../support/ingest.js";
import { serverEngine, uniqueDatabase } from "../support/stack.js";

let kafka: PrivateKafka;

beforeAll(async () => {
  kafka = await startPrivateKafka({ version: KAFKA_COMPAT_VERSION });
});

afterAll(async () => {
  await kafka?.destroy();
});

/** 40 invalid events: 10 each of four reasons. */
function invalidRecords(): { value: string }[] {
  return Array.from({ length: 40 }, (_, i) => {
    switch (i % 4) {
      case 0:
        return { value: `{not json ${i}` };
      case 1:
        return { value: JSON.stringify({ model: "m", features: {} }) };
      case 2:
        return { value: JSON.stringify({ event_id: `bad-${i}`, model: "m", features: [i] }) };
      default:
        return {
          value: JSON.stringify({ event_id: `bad-${i}`, model: "no spaces", features: {} }),
        };
    }
  });
}

describe(`Kafka ${KAFKA_COMPAT_VERSION} compatibility`, () => {
  it("runs the broker release it was asked for", () => {
    expect(kafka.version).toBe(KAFKA_COMPAT_VERSION);
  });

  it("ingests 5,000 valid events once, dead-letters 40 invalid ones and drops a resend", async () => {
    let env: IngestTestEnv | undefined;
    try {
      env = await createIngestTestEnv("compat39", { brokers: kafka.brokers });
      const valid = predictionRecords(5_000, { prefix: "compat" });
      await produce(env.kafka, env.topics.predictions, [...valid, ...invalidRecords()]);
      const ingest = await startIngester(env);
      await waitFor(
        "5,000 rows and 40 dead letters",
        async () => [
          (await tableCounts(env!.engine, env!.database, "predictions")).final,
          await deadLetterCount(env!.engine, env!.database),
        ],
        ([rows, dead]) => rows! >= 5_000 && dead! >= 40,
        60_000,
      );
      // A producer resend of the same events: dropped, nothing counted twice.
      await produce(env.kafka, env.topics.predictions, valid);
      await waitFor(
        "the resend consumed and committed",
        () => uncommitted(env!, env!.topics.predictions),
        (n) => n === 0,
        60_000,
      );
      expect(await tableCounts(env.engine, env.database, "predictions")).toEqual({
        rows: 5_000,
        final: 5_000,
        distinct: 5_000,
      });
      expect(await deadLetterCount(env.engine, env.database)).toBe(40);
      expect(await ingest.metric("driftwatch_ingest_duplicates_dropped_total")).toBe(5_000);
      expect(ingest.fatal).toEqual([]);
      await ingest.ingester.stop();
    } finally {
      await env?.cleanup();
    }
  });

  it("elects exactly one evaluator and fails over when it leaves", async () => {
    const tag = randomBytes(4).toString("hex");
    const config = parseConfig(
      `kafka:
  brokers: [${kafka.brokers.join(", ")}]
  groupId: dw-test-compat-election-${tag}
  topics: {control: dw-test-compat-control-${tag}}
clickhouse: {database: ${uniqueDatabase("compat_election")}}
alerts: {enabled: false}
`,
      { env: {} },
    );
    const logger = createLogger("compat-election", "silent");
    const engine = serverEngine();
    const monitors: Monitor[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const monitor = createMonitor({
          config,
          engine,
          kafka: createKafkaClient(config.kafka, logger),
          registry: createMetricsRegistry(),
          logger,
          tickMs: 3_600_000,
          electionSessionTimeoutMs: 6_000,
        });
        monitors.push(monitor);
        await monitor.start();
      }
      const evaluators = () => monitors.filter((monitor) => monitor.isEvaluator());
      await waitFor(
        "one evaluator",
        async () => evaluators().length,
        (n) => n === 1,
        60_000,
        100,
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(evaluators()).toHaveLength(1);
      const [leader] = evaluators();
      const follower = monitors.find((monitor) => monitor !== leader)!;
      await leader!.stop();
      await waitFor(
        "the follower to evaluate",
        async () => follower.isEvaluator(),
        Boolean,
        60_000,
      );
    } finally {
      await Promise.all(monitors.map((monitor) => monitor.stop()));
      await engine.close();
    }
  });
});
