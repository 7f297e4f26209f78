// End-to-end ingestion on the real Kafka and ClickHouse with an in-process ingester: every valid
// event stored exactly once, labels joinable by event_id, resends not counted twice, and every
// malformed message in the DLQ topic and table with its reason while the valid ones around it
// are stored.
import { afterEach, describe, expect, it } from "vitest";
import { sql, tableRef } from "../../../src/store/index.js";
import { waitFor } from "../../support/clock.js";
import {
  createIngestTestEnv,
  deadLetterCount,
  type IngestTestEnv,
  predictionRecords,
  produce,
  readTopic,
  type RunningIngester,
  startIngester,
  tableCounts,
  uncommitted,
} from "../../support/ingest.js";

let env: IngestTestEnv | undefined;
let running: RunningIngester[] = [];

afterEach(async () => {
  for (const { ingester } of running) await ingester.stop();
  running = [];
  await env?.cleanup();
  env = undefined;
});

async function start(overrides = {}): Promise<RunningIngester> {
  const ingester = await startIngester(env!, overrides);
  running.push(ingester);
  return ingester;
}

describe("ingestion", () => {
  it("stores 10,000 events exactly once and joins their labels by event_id", async () => {
    env = await createIngestTestEnv("flow");
    // Produced before the first start: a new group reads from the earliest offset.
    await produce(env.kafka, env.topics.predictions, predictionRecords(10_000));
    const labels = Array.from({ length: 4_000 }, (_, k) => {
      const i = k * 2; // every other event gets a label
      return {
        key: `ev-${i}`,
        value: JSON.stringify({
          event_id: `ev-${i}`,
          model: "credit-risk",
          label: i % 4 === 0 ? 1 : 0,
        }),
      };
    });
    await produce(env.kafka, env.topics.labels, labels);
    const ingest = await start();
    const counts = await waitFor(
      "10,000 predictions and 4,000 labels",
      async () => [
        await tableCounts(env!.engine, env!.database, "predictions"),
        await tableCounts(env!.engine, env!.database, "labels"),
      ],
      ([predictions, labelCounts]) => predictions!.final >= 10_000 && labelCounts!.final >= 4_000,
    );
    expect(counts[0]).toEqual({ rows: 10_000, final: 10_000, distinct: 10_000 });
    expect(counts[1]).toEqual({ rows: 4_000, final: 4_000, distinct: 4_000 });

    const [joined] = await env.engine.query<{ n: number; positives: number; even: number }>(sql`
      SELECT count() AS n, sum(l.label_value) AS positives, countIf(toUInt64(substring(event_id, 4)) % 2 = 0) AS even
      FROM ${tableRef(env.database, "predictions")} AS p FINAL
      ANY INNER JOIN (SELECT model, event_id, label_value FROM ${tableRef(env.database, "labels")} FINAL) AS l
      USING (model, event_id)`);
    expect(joined).toEqual({ n: 4_000, positives: 2_000, even: 4_000 });

    // Feature values arrive intact in the parallel arrays (event 42 of the generator).
    const [event] = await env.engine.query<{
      age: number;
      region: string;
      employed: string;
      missing: string[];
    }>(sql`
      SELECT num_values[indexOf(num_names, 'age')] AS age, cat_values[indexOf(cat_names, 'region')] AS region,
             cat_values[indexOf(cat_names, 'employed')] AS employed, missing_names AS missing
      FROM ${tableRef(env.database, "predictions")} WHERE event_id = 'ev-40'`);
    expect(event).toEqual({ age: 60, region: "US", employed: "true", missing: ["score"] });

    for (const topic of [env.topics.predictions, env.topics.labels]) {
      await waitFor(
        `${topic} committed`,
        () => uncommitted(env!, topic),
        (n) => n === 0,
        15_000,
      );
    }
    expect(
      await ingest.metric("driftwatch_ingest_rows_inserted_total", { table: "predictions" }),
    ).toBe(10_000);
    expect(await ingest.metric("driftwatch_ingest_events_consumed_total")).toBe(14_000);
    expect(ingest.fatal).toEqual([]);
  });

  it("does not count the same events twice when they are sent again", async () => {
    env = await createIngestTestEnv("resend");
    const first = await start();
    const events = predictionRecords(2_000, { prefix: "dup" });
    await produce(env.kafka, env.topics.predictions, events);
    await waitFor(
      "2,000 rows",
      () => tableCounts(env!.engine, env!.database, "predictions"),
      (c) => c.final >= 2_000,
    );

    // A producer resend (new offsets, same events) while running: dropped by the dedup window.
    await produce(env.kafka, env.topics.predictions, events);
    await waitFor(
      "the resend consumed",
      () => first.metric("driftwatch_ingest_duplicates_dropped_total"),
      (n) => n >= 2_000,
    );
    await waitFor(
      "offsets committed",
      () => uncommitted(env!, env!.topics.predictions),
      (n) => n === 0,
      10_000,
    );
    expect(await tableCounts(env.engine, env.database, "predictions")).toEqual({
      rows: 2_000,
      final: 2_000,
      distinct: 2_000,
    });
    expect(await first.ingester.stop()).toBe(true);

    // After a restart the window is empty: a third copy may reach the table, but the engine
    // collapses it and every count the product reports stays at 2,000.
    const second = await start();
    await produce(env.kafka, env.topics.predictions, events);
    await waitFor(
      "the third copy consumed",
      () => second.metric("driftwatch_ingest_events_consumed_total"),
      (n) => n >= 2_000,
    );
    await waitFor(
      "offsets committed",
      () => uncommitted(env!, env!.topics.predictions),
      (n) => n === 0,
      10_000,
    );
    const after = await tableCounts(env.engine, env.database, "predictions");
    expect(after.final).toBe(2_000);
    expect(after.distinct).toBe(2_000);
    // Nothing already committed was consumed again by the restarted ingester.
    expect(await second.metric("driftwatch_ingest_events_consumed_total")).toBe(2_000);
  });

  it("dead-letters each malformed message with its reason and stores the valid ones around it", async () => {
    env = await createIngestTestEnv("dlq");
    const valid = (i: number) =>
      JSON.stringify({ event_id: `ok-${i}`, model: "m", features: { x: i } });
    const cases: { value: Buffer | string; reason?: string; topic?: "labels" }[] = [
      { value: valid(0) },
      { value: "{this is not json", reason: "invalid_json" },
      { value: valid(1) },
      { value: JSON.stringify({ model: "m", features: {} }), reason: "missing_field" },
      { value: JSON.stringify({ event_id: "e", features: {} }), reason: "missing_field" },
      { value: JSON.stringify({ event_id: "e", model: "m" }), reason: "missing_field" },
      { value: JSON.stringify({ event_id: 17, model: "m", features: {} }), reason: "wrong_type" },
      {
        value: JSON.stringify({ event_id: "e", model: "m", features: [1, 2] }),
        reason: "wrong_type",
      },
      {
        value: JSON.stringify({ event_id: "e", model: "m", features: { x: "y".repeat(3_000) } }),
        reason: "too_large",
      },
      {
        value: JSON.stringify({ event_id: "e", model: "no spaces allowed", features: {} }),
        reason: "bad_model_name",
      },
      {
        value: Buffer.concat([
          Buffer.from('{"event_id":"e","model":"m","features":{"x":"'),
          Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
          Buffer.from('"}}'),
        ]),
        reason: "not_utf8",
      },
      {
        value: JSON.stringify({ event_id: "e", model: "m", features: { x: { nested: 1 } } }),
        reason: "bad_feature",
      },
      { value: valid(2) },
      {
        value: JSON.stringify({ event_id: "ok-1", model: "m" }),
        reason: "missing_field",
        topic: "labels",
      },
      { value: JSON.stringify({ event_id: "ok-1", model: "m", label: 1 }), topic: "labels" },
    ];
    const ingest = await start({ maxEventBytes: 2_000 });
    const toPredictions = cases.filter((c) => c.topic === undefined);
    const toLabels = cases.filter((c) => c.topic === "labels");
    // One partition, so the offsets below are the positions in `cases`.
    await produce(
      env.kafka,
      env.topics.predictions,
      toPredictions.map((c) => ({ value: c.value, partition: 0 })),
    );
    await produce(
      env.kafka,
      env.topics.labels,
      toLabels.map((c) => ({ value: c.value, partition: 1 })),
    );
    const bad = cases.filter((c) => c.reason !== undefined);
    await waitFor(
      "all dead letters",
      () => deadLetterCount(env!.engine, env!.database),
      (n) => n >= bad.length,
    );
    await waitFor(
      "3 valid events",
      () => tableCounts(env!.engine, env!.database, "predictions"),
      (c) => c.final >= 3,
    );
    // Everything written and committed (metrics are counted before the commit).
    for (const topic of [env.topics.predictions, env.topics.labels]) {
      await waitFor(
        `${topic} committed`,
        () => uncommitted(env!, topic),
        (n) => n === 0,
        15_000,
      );
    }

    const stored = await env.engine.query<{
      topic: string;
      partition: number;
      offset: number;
      reason: string;
      detail: string;
      raw_hex: string;
    }>(sql`
      SELECT topic, \`partition\`, \`offset\`, reason, detail, hex(raw) AS raw_hex
      FROM ${tableRef(env.database, "dead_letters")} ORDER BY topic, \`offset\``);
    const expected = [
      ...toLabels.flatMap((c, offset) =>
        c.reason === undefined
          ? []
          : [{ topic: env!.topics.labels, partition: 1, offset, reason: c.reason, value: c.value }],
      ),
      ...toPredictions.flatMap((c, offset) =>
        c.reason === undefined
          ? []
          : [
              {
                topic: env!.topics.predictions,
                partition: 0,
                offset,
                reason: c.reason,
                value: c.value,
              },
            ],
      ),
    ].sort((a, b) => (a.topic === b.topic ? a.offset - b.offset : a.topic < b.topic ? -1 : 1));
    expect(
      stored.map(({ topic, partition, offset, reason }) => ({ topic, partition, offset, reason })),
    ).toEqual(
      expected.map(({ topic, partition, offset, reason }) => ({
        topic,
        partition,
        offset,
        reason,
      })),
    );
    // Payloads byte for byte, non-UTF-8 included; the detail names the field.
    expect(stored.map((row) => row.raw_hex)).toEqual(
      expected.map((e) => Buffer.from(e.value).toString("hex").toUpperCase()),
    );
    expect(stored.find((row) => row.reason === "bad_feature")?.detail).toMatch(/^features\.x:/);
    expect(stored.find((row) => row.reason === "wrong_type" && row.offset === 6)?.detail).toMatch(
      /^event_id:/,
    );

    // The DLQ topic carries the same payloads with reason and origin headers.
    const dlq = await readTopic(env.kafka, env.topics.dlq, bad.length);
    expect(dlq).toHaveLength(bad.length);
    const byOrigin = new Map(
      dlq.map((r) => [
        `${r.headers["original-topic"]}:${r.headers["original-partition"]}:${r.headers["original-offset"]}`,
        r,
      ]),
    );
    for (const e of expected) {
      const record = byOrigin.get(`${e.topic}:${e.partition}:${e.offset}`);
      expect(record?.headers.reason?.toString()).toBe(e.reason);
      expect(record?.value?.equals(Buffer.from(e.value))).toBe(true);
    }

    const predictions = await env.engine.query<{ event_id: string }>(
      sql`SELECT event_id FROM ${tableRef(env.database, "predictions")} ORDER BY event_id`,
    );
    expect(predictions.map((row) => row.event_id)).toEqual(["ok-0", "ok-1", "ok-2"]);
    expect((await tableCounts(env.engine, env.database, "labels")).final).toBe(1);
    expect(
      await ingest.metric("driftwatch_ingest_dead_letters_total", { reason: "missing_field" }),
    ).toBe(4);
    expect(
      await ingest.metric("driftwatch_ingest_dead_letters_total", { reason: "not_utf8" }),
    ).toBe(1);
    expect(await ingest.metric("driftwatch_ingest_dead_letters_total")).toBe(bad.length);
  });
});
