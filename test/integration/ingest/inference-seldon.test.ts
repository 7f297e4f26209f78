// Seldon Core v2 end to end on the real Kafka and ClickHouse: Open Inference Protocol Protobuf
// payloads (built from the protocol's gRPC definition) on per-model `.inputs` / `.outputs`
// topics, request id in the x-request-id header, forwarded, joined and stored: batched rows as
// "<request id>/<row>", responses before their requests joined too, resends stored once,
// truncated, mismatched and partnerless messages dead-lettered with their reason.
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { InferenceMetrics } from "../../../src/ingest/inference/inference-metrics.js";
import { seldonCodec } from "../../../src/ingest/inference/pair-codec.js";
import { PairIngester } from "../../../src/ingest/inference/pair-ingester.js";
import { SeldonForwarder } from "../../../src/ingest/inference/seldon-forwarder.js";
import { createMetricsRegistry } from "../../../src/metrics/registry.js";
import { sql, tableRef } from "../../../src/store/index.js";
import { inferRequest, inferResponse } from "../../unit/ingest/inference/oip-messages.js";
import { waitFor } from "../../support/clock.js";
import {
  createIngestTestEnv,
  PARTITIONS,
  produce,
  startIngester,
  tableCounts,
  type IngestTestEnv,
} from "../../support/ingest.js";
import { testLogger } from "../../support/stack.js";

let env: IngestTestEnv | undefined;
let cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
  await env?.cleanup();
  env = undefined;
});

function request(rows: number[][]): Buffer {
  return inferRequest({
    modelName: "iris",
    inputs: [
      {
        name: "predict",
        datatype: "FP64",
        shape: [rows.length, rows[0]!.length],
        contents: { fp64Contents: rows.flat() },
      },
    ],
  });
}

function response(values: number[]): Buffer {
  return inferResponse({
    modelName: "iris",
    modelVersion: "1",
    outputs: [
      {
        name: "predict",
        datatype: "INT64",
        shape: [values.length],
        contents: { int64Contents: values },
      },
    ],
  });
}

describe("Seldon Core v2 topics", () => {
  it("forwards, joins and stores inference pairs; dead-letters the rest", async () => {
    env = await createIngestTestEnv("seldon");
    const namespace = `dwtest${randomBytes(3).toString("hex")}`;
    const inputs = `seldon.${namespace}.model.iris.inputs`;
    const outputs = `seldon.${namespace}.model.iris.outputs`;
    const joinTopic = `${env.topics.predictions}.seldon`;
    const admin = env.kafka.admin();
    await admin.connect();
    await admin.ensureTopics(
      [inputs, outputs].map((topic) => ({ topic, partitions: 2, replicationFactor: 1 })),
    );
    await admin.close();
    cleanups.push(async () => {
      const cleaner = env!.kafka.admin();
      await cleaner.connect();
      await cleaner.deleteTopics([inputs, outputs, joinTopic]).catch(() => undefined);
      await cleaner.close();
    });
    const header = (id: string) => ({ "x-request-id": id });
    // Responses first for r2; r3 resent; r4 truncated; r5 mismatched; r6 has no response.
    await produce(env.kafka, outputs, [
      { key: "r2", value: response([0]), headers: header("r2") },
      { key: "r1", value: response([1, 2]), headers: header("r1") },
      { key: "r3", value: response([2]), headers: header("r3") },
      { key: "r4", value: response([1]), headers: header("r4") },
      { key: "r5", value: response([1]), headers: header("r5") },
    ]);
    const truncated = request([[1, 2, 3, 4]]);
    await produce(env.kafka, inputs, [
      {
        key: "r1",
        value: request([
          [5.1, 3.5, 1.4, 0.2],
          [6.2, 2.9, 4.3, 1.3],
        ]),
        headers: header("r1"),
      },
      { key: "r2", value: request([[7.7, 3.0, 6.1, 2.3]]), headers: header("r2") },
      { key: "r3", value: request([[1, 1, 1, 1]]), headers: header("r3") },
      { key: "r3", value: request([[1, 1, 1, 1]]), headers: header("r3") },
      { key: "r4", value: truncated.subarray(0, truncated.length - 5), headers: header("r4") },
      {
        key: "r5",
        value: request([
          [1, 1, 1, 1],
          [2, 2, 2, 2],
        ]),
        headers: header("r5"),
      },
      { key: "r6", value: request([[1, 1, 1, 1]]), headers: header("r6") },
    ]);

    const metrics = new InferenceMetrics(createMetricsRegistry());
    const mappings = [{ name: "iris", inputs: { predict: ["a", "b", "c", "d"] } }];
    const joiner = new PairIngester(
      {
        topic: joinTopic,
        groupId: `${env.groupId}-seldon`,
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
        logger: testLogger("seldon-joiner"),
        metrics,
        codec: seldonCodec(mappings),
      },
    );
    await joiner.start();
    cleanups.push(() => joiner.stop());
    const forwarder = new SeldonForwarder(
      {
        inputTopics: [`seldon.${namespace}.model.*.inputs`],
        requestIdHeader: "x-request-id",
        topic: joinTopic,
        groupId: `${env.groupId}-seldon-forward`,
        refreshMs: 60_000,
        sessionTimeoutMs: 10_000,
      },
      { kafka: env.kafka, logger: testLogger("seldon-forwarder"), metrics },
    );
    await forwarder.start();
    cleanups.push(() => forwarder.stop());
    expect(forwarder.followed).toEqual([inputs, outputs]);
    const running = await startIngester(env);
    cleanups.push(() => running.ingester.stop());

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
      ["invalid_protobuf", 2],
      ["pair_mismatch", 2],
      ["unjoinable", 1],
    ]);
    const counts = await waitFor(
      "4 events",
      () => tableCounts(env!.engine, env!.database, "predictions"),
      (value) => value.final >= 4,
    );
    expect(counts).toEqual({ rows: 4, final: 4, distinct: 4 });
    const rows = await env.engine.query<{
      event_id: string;
      a: number;
      version: string;
      prediction: string;
    }>(sql`
      SELECT event_id, num_values[indexOf(num_names, 'a')] AS a, model_version AS version, prediction
      FROM ${tableRef(env.database, "predictions")} WHERE model = 'iris' ORDER BY event_id`);
    expect(rows).toEqual([
      { event_id: "r1/0", a: 5.1, version: "1", prediction: "1" },
      { event_id: "r1/1", a: 6.2, version: "1", prediction: "2" },
      { event_id: "r2", a: 7.7, version: "1", prediction: "0" },
      { event_id: "r3", a: 1, version: "1", prediction: "2" },
    ]);
    expect(running.fatal).toEqual([]);
  });
});
