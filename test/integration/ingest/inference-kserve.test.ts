// KServe's inference logger end to end on the real Kafka and ClickHouse: CloudEvents (binary
// mode, shaped as KServe's V1/V2 docs show them) POSTed over HTTP to the API, each half produced
// to the join topic, joined by the ingest role's joiner and stored by the ingester. In-order,
// reversed and resent pairs are stored once per row; truncated, mismatched and partnerless
// halves are dead-lettered with their reason; a wrong credential and a missing ce-id are refused;
// the join topic is committed to its end once everything settled.
import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../../src/api/index.js";
import { parseConfig } from "../../../src/config/index.js";
import { InferenceMetrics } from "../../../src/ingest/inference/inference-metrics.js";
import { kserveCodec } from "../../../src/ingest/inference/pair-codec.js";
import { PairIngester } from "../../../src/ingest/inference/pair-ingester.js";
import type { Producer } from "../../../src/kafka/index.js";
import { createMetricsRegistry } from "../../../src/metrics/registry.js";
import { sql, tableRef } from "../../../src/store/index.js";
import { waitFor } from "../../support/clock.js";
import {
  createIngestTestEnv,
  PARTITIONS,
  startIngester,
  tableCounts,
  type IngestTestEnv,
  type RunningIngester,
} from "../../support/ingest.js";
import { testLogger } from "../../support/stack.js";

const CREDENTIAL = "kserve-ingest-0123456789abcdef";

let env: IngestTestEnv | undefined;
let cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
  await env?.cleanup();
  env = undefined;
});

interface Half {
  readonly id: string;
  readonly side: "request" | "response";
  readonly body: string;
  readonly service?: string;
}

async function post(base: string, half: Half, path = `/api/v1/ingest/cloudevents/${CREDENTIAL}`) {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "ce-specversion": "1.0",
      "ce-id": half.id,
      "ce-type": `org.kubeflow.serving.inference.${half.side}`,
      "ce-source": "http://localhost:9081/",
      "ce-time": "2026-11-23T08:00:00.123Z",
      "ce-inferenceservicename": half.service ?? "sklearn-iris",
      "ce-namespace": "default",
      "ce-component": "predictor",
      "ce-endpoint": "default",
    },
    body: half.body,
  });
}

describe("KServe inference logger", () => {
  it("joins halves sent over HTTP in any order into stored events; dead-letters the rest", async () => {
    env = await createIngestTestEnv("kserve");
    const joinTopic = `${env.topics.predictions}.cloudevents`;
    const config = parseConfig(
      `kafka:
  topics: { predictions: ${env.topics.predictions}, dlq: ${env.topics.dlq} }
integrations:
  kserve:
    credential: "\${DW_TEST_KSERVE_KEY}"
    topic: ${joinTopic}
    joinWait: 3s
    models:
      - name: sklearn-iris
        model: iris
        versionHeader: ce-endpoint
        inputs: { instances: [sepal_length, sepal_width, petal_length, petal_width] }
`,
      { env: { DW_TEST_KSERVE_KEY: CREDENTIAL } },
    );
    const kserve = config.integrations.kserve!;
    const joiner = new PairIngester(
      {
        topic: joinTopic,
        groupId: `${env.groupId}-kserve`,
        predictionsTopic: env.topics.predictions,
        dlqTopic: env.topics.dlq,
        database: env.database,
        topicPartitions: PARTITIONS,
        replicationFactor: 1,
        joinWaitMs: 3_000,
        maxPendingHalves: 1_000,
        maxEventBytes: 1_048_576,
        retry: { minBackoffMs: 100, maxBackoffMs: 1_000 },
        sessionTimeoutMs: 10_000,
      },
      {
        kafka: env.kafka,
        engine: env.engine,
        logger: testLogger("kserve-joiner"),
        metrics: new InferenceMetrics(createMetricsRegistry()),
        codec: kserveCodec(kserve.models),
      },
    );
    const fatal: Error[] = [];
    joiner.onFatal((error) => fatal.push(error));
    await joiner.start();
    cleanups.push(() => joiner.stop());
    const running: RunningIngester = await startIngester(env);
    cleanups.push(() => running.ingester.stop());

    const producer: Producer = env.kafka.producer();
    await producer.connect();
    cleanups.push(() => producer.close());
    const logLines: string[] = [];
    const app: FastifyInstance = await buildApp({
      config,
      engine: { ping: async () => {}, query: async () => [], close: async () => {} } as never,
      producer,
      monitor: {} as never,
      alertsApi: {} as never,
      registry: createMetricsRegistry(),
      logger: pino({ level: "info" }, { write: (line: string) => void logLines.push(line) }),
    });
    cleanups.push(() => app.close());
    const base = await app.listen({ host: "127.0.0.1", port: 0 });

    const run = randomBytes(3).toString("hex");
    const v1Request = JSON.stringify({
      instances: [
        [6.8, 2.8, 4.8, 1.4],
        [6.0, 3.4, 4.5, 1.6],
      ],
    });
    const v2Request = JSON.stringify({
      inputs: [{ name: "input-0", shape: [1, 2], datatype: "FP32", data: [[1.5, 2.5]] }],
    });
    const v2Response = JSON.stringify({
      model_name: "xgb",
      model_version: "7",
      outputs: [{ name: "output-0", shape: [1], datatype: "FP32", data: [0.83] }],
    });
    const sends: Half[] = [
      // in order, V1, two rows
      { id: `a-${run}`, side: "request", body: v1Request },
      { id: `a-${run}`, side: "response", body: JSON.stringify({ predictions: [1, 2] }) },
      // response first, V2, another InferenceService without a mapping
      { id: `b-${run}`, side: "response", body: v2Response, service: "xgb" },
      { id: `b-${run}`, side: "request", body: v2Request, service: "xgb" },
      // resent halves
      { id: `c-${run}`, side: "request", body: v1Request },
      { id: `c-${run}`, side: "request", body: v1Request },
      { id: `c-${run}`, side: "response", body: JSON.stringify({ predictions: [0, 1] }) },
      { id: `c-${run}`, side: "response", body: JSON.stringify({ predictions: [0, 1] }) },
      // truncated request
      { id: `d-${run}`, side: "request", body: v1Request.slice(0, 20) },
      { id: `d-${run}`, side: "response", body: JSON.stringify({ predictions: [1, 2] }) },
      // mismatched rows
      { id: `e-${run}`, side: "request", body: v1Request },
      { id: `e-${run}`, side: "response", body: JSON.stringify({ predictions: [1] }) },
      // no partner
      { id: `f-${run}`, side: "request", body: v1Request },
    ];
    for (const half of sends) {
      const response = await post(base, half);
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({
        accepted: true,
        id: half.id,
        half: half.side,
        topic: joinTopic,
      });
    }
    const wrong = await post(base, sends[0]!, "/api/v1/ingest/cloudevents/not-the-credential");
    expect(wrong.status).toBe(401);
    const noId = await fetch(`${base}/api/v1/ingest/cloudevents/${CREDENTIAL}`, {
      method: "POST",
      headers: { "content-type": "application/json", "ce-specversion": "1.0" },
      body: v1Request,
    });
    expect(noId.status).toBe(400);
    expect(logLines.join("\n")).not.toContain(CREDENTIAL);

    const predictions = await waitFor(
      "5 events",
      () => tableCounts(env!.engine, env!.database, "predictions"),
      (counts) => counts.final >= 5,
    );
    const deadLetters = tableRef(env.database, "dead_letters");
    const reasons = await waitFor(
      "5 dead letters",
      () =>
        env!.engine.query<{ reason: string; n: number }>(
          sql`SELECT reason, count() AS n FROM ${deadLetters} GROUP BY reason ORDER BY reason`,
        ),
      (rows) => rows.reduce((sum, row) => sum + Number(row.n), 0) >= 5,
      30_000,
    );
    expect(reasons.map((row) => [row.reason, Number(row.n)])).toEqual([
      ["invalid_json", 2],
      ["pair_mismatch", 2],
      ["unjoinable", 1],
    ]);
    expect(predictions).toEqual({ rows: 5, final: 5, distinct: 5 });
    const rows = await env.engine.query<{
      model: string;
      model_version: string;
      event_id: string;
      names: string[];
      prediction: string;
    }>(sql`
      SELECT model, model_version, event_id, num_names AS names, prediction
      FROM ${tableRef(env.database, "predictions")} ORDER BY event_id`);
    expect(rows).toEqual([
      {
        model: "iris",
        model_version: "default",
        event_id: `a-${run}/0`,
        names: ["sepal_length", "sepal_width", "petal_length", "petal_width"],
        prediction: "1",
      },
      expect.objectContaining({ event_id: `a-${run}/1`, prediction: "2" }),
      {
        model: "xgb",
        model_version: "7",
        event_id: `b-${run}`,
        names: ["input-0_0", "input-0_1"],
        prediction: "0.83",
      },
      expect.objectContaining({ event_id: `c-${run}/0`, prediction: "0" }),
      expect.objectContaining({ event_id: `c-${run}/1`, prediction: "1" }),
    ]);
    const [letter] = await env.engine.query<{ topic: string; raw: string; detail: string }>(sql`
      SELECT topic, raw, detail FROM ${deadLetters} WHERE reason = 'unjoinable'`);
    expect(letter).toEqual({
      topic: joinTopic,
      raw: v1Request,
      detail: expect.stringContaining(`ce-id=f-${run}`),
    });
    // Everything settled: the join topic is committed to its end.
    await waitFor(
      "the join topic committed to its end",
      async () => {
        const admin = env!.kafka.admin();
        await admin.connect();
        try {
          const ends = await admin.watermarks(joinTopic);
          const committed = await admin.committedOffsets(`${env!.groupId}-kserve`, joinTopic);
          return ends.reduce(
            (sum, end) =>
              // A partition no half was keyed to has no commit: Kafka answers offset -1 there.
              sum +
              end.high -
              Math.max(0, committed.find((c) => c.partition === end.partition)?.offset ?? 0),
            0,
          );
        } finally {
          await admin.close();
        }
      },
      (left) => left === 0,
      20_000,
    );
    expect(fatal).toEqual([]);
    expect(running.fatal).toEqual([]);
  });
});
