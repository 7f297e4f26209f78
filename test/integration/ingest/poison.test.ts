// Ingestion never stalls on data (real Kafka and ClickHouse 18.16): each poison class between
// valid events is dead-lettered with its reason and its bytes as received while every valid event
// is stored once and consumption never pauses; a row ClickHouse itself refuses is isolated and
// dead-lettered as store_rejected; a vanished table pauses intake instead of dead-lettering
// everything; DLQ records stay under the topic's max.message.bytes; batches are bounded in bytes;
// models beyond ingest.maxModels or outside ingest.models are dead-lettered, across restarts.
import { Kafka, logLevel } from "kafkajs";
import { afterEach, describe, expect, it } from "vitest";
import { readModelCatalog, sql, tableRef } from "../../../src/store/index.js";
import { type Child, exitWithin, runDriftwatch } from "../../support/cli.js";
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
  writeConfigFile,
} from "../../support/ingest.js";
import { scrape, servedPort } from "../../support/serve.js";
import { brokers } from "../../support/stack.js";

let env: IngestTestEnv | undefined;
let running: RunningIngester[] = [];
const children: Child[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill("SIGKILL");
      await child.exited;
    }
  }
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

interface DeadLetter {
  offset: number;
  partition: number;
  reason: string;
  detail: string;
  raw_hex: string;
}

async function deadLetters(environment: IngestTestEnv): Promise<DeadLetter[]> {
  return environment.engine.query<DeadLetter>(sql`
    SELECT \`partition\` AS partition, \`offset\` AS offset, reason, detail, hex(raw) AS raw_hex
    FROM ${tableRef(environment.database, "dead_letters")}
    ORDER BY \`partition\`, \`offset\``);
}

/** The poison messages of the issue "Ingestion never stalls on data", as raw JSON text. */
const POISON: { readonly name: string; readonly text: string; readonly reason: string }[] = [
  {
    name: "a lone surrogate in a feature name",
    text: '{"event_id":"p-1","model":"credit-risk","features":{"inc\\ud800ome":1}}',
    reason: "invalid_text",
  },
  {
    name: "a lone surrogate in a feature value",
    text: '{"event_id":"p-2","model":"credit-risk","features":{"region":"\\udfff"}}',
    reason: "invalid_text",
  },
  {
    name: "a lone surrogate in a wrongly typed prediction",
    text: '{"event_id":"p-3","model":"credit-risk","features":{},"prediction":{"\\ud800":1}}',
    reason: "invalid_text",
  },
  {
    name: "a non-JSON line next to emoji",
    text: "😀 not json at all 😀😀😀 " + "🙂".repeat(120),
    reason: "invalid_json",
  },
  {
    name: "a 5,000-character feature name ending in an emoji pair",
    text: JSON.stringify({
      event_id: "p-5",
      model: "credit-risk",
      features: { ["f".repeat(4_999) + "😀"]: 1 },
    }),
    reason: "bad_feature",
  },
];

describe("poison events", () => {
  it("dead-letters every poison class with its reason and bytes, stores the valid events once, and serve exits 0 on SIGTERM", async () => {
    env = await createIngestTestEnv("poison");
    const config = writeConfigFile(env, { batchMaxRows: 50, batchMaxWaitMs: 100 });
    // All on one partition, poison first: before the fix the valid ones behind them never landed.
    const poison = POISON.map((item) => ({ key: "same", value: item.text, partition: 0 }));
    const valid = predictionRecords(100).map((record) => ({ ...record, partition: 0 }));
    await produce(env.kafka, env.topics.predictions, [...poison, ...valid]);
    const child = runDriftwatch(["serve", "--config", config, "--role", "ingest"], undefined, {
      DRIFTWATCH_LOG_LEVEL: "info",
    });
    children.push(child);

    await waitFor(
      "100 valid events stored and 5 dead letters",
      async () => [
        await tableCounts(env!.engine, env!.database, "predictions"),
        await deadLetterCount(env!.engine, env!.database),
      ],
      ([counts, dead]) => (counts as { final: number }).final >= 100 && (dead as number) >= 5,
    );
    expect(await tableCounts(env.engine, env.database, "predictions")).toEqual({
      rows: 100,
      final: 100,
      distinct: 100,
    });
    const letters = await deadLetters(env);
    expect(letters.map((letter) => [letter.offset, letter.reason])).toEqual(
      POISON.map((item, offset) => [offset, item.reason]),
    );
    for (const [index, letter] of letters.entries()) {
      // The payload exactly as produced, and a detail that is storable text naming the field.
      expect(Buffer.from(letter.raw_hex, "hex").toString("utf8"), POISON[index]!.name).toBe(
        POISON[index]!.text,
      );
      expect(letter.detail.isWellFormed()).toBe(true);
      expect([...letter.detail].length).toBeLessThanOrEqual(500);
    }
    expect(letters[0]!.detail).toMatch(/^features: a key holds a lone UTF-16 surrogate/);
    expect(letters[1]!.detail).toMatch(/^features\.region: the value holds/);
    expect(letters[2]!.detail).toMatch(/^prediction: a key holds/);
    expect(letters[4]!.detail).toMatch(/^features: the name "f+…" is longer than 256/);

    const dlq = await readTopic(env.kafka, env.topics.dlq, 5);
    expect(dlq.map((record) => String(record.headers.reason))).toEqual(
      POISON.map((item) => item.reason),
    );
    const port = await waitFor("the metrics port", async () => servedPort(child), Boolean);
    // Ingestion never paused: no failed write at all.
    expect(await scrape(port!, "driftwatch_ingest_write_failures_total")).toBe(0);
    expect(await scrape(port!, "driftwatch_ingest_paused")).toBe(0);
    await waitFor(
      "offsets committed",
      () => uncommitted(env!, env!.topics.predictions),
      (n) => n === 0,
    );
    child.process.kill("SIGTERM");
    expect(await exitWithin(child, 30_000)).toBe(0);
  });

  it("isolates a row ClickHouse refuses, dead-letters it as store_rejected and stores the rest of its batch", async () => {
    env = await createIngestTestEnv("rejected");
    // A server-side check on the row itself (as a CHECK constraint would be): ClickHouse
    // evaluates it before writing the block, so the whole insert is refused with code 395.
    await env.engine.command(
      sql`ALTER TABLE ${tableRef(env.database, "predictions")} ADD COLUMN poison_check UInt8 MATERIALIZED throwIf(event_id = 'ev-137' OR event_id = 'ev-1500')`,
    );
    const records = predictionRecords(2_000).map((record) => ({ ...record, partition: 0 }));
    await produce(env.kafka, env.topics.predictions, records);
    const ingest = await start({ batchMaxRows: 2_000, batchMaxWaitMs: 500 });
    await waitFor(
      "1,998 events stored and 2 dead letters",
      async () => [
        (await tableCounts(env!.engine, env!.database, "predictions")).final,
        await deadLetterCount(env!.engine, env!.database),
      ],
      ([stored, dead]) => stored! >= 1_998 && dead! >= 2,
    );
    expect(await tableCounts(env.engine, env.database, "predictions")).toEqual({
      rows: 1_998,
      final: 1_998,
      distinct: 1_998,
    });
    const letters = await deadLetters(env);
    expect(letters.map((letter) => [letter.offset, letter.reason])).toEqual([
      [137, "store_rejected"],
      [1_500, "store_rejected"],
    ]);
    expect(Buffer.from(letters[0]!.raw_hex, "hex").toString()).toBe(records[137]!.value);
    expect(letters[0]!.detail).toMatch(/ClickHouse refused this row of predictions: .*throwIf/);
    await waitFor(
      "offsets committed",
      () => uncommitted(env!, env!.topics.predictions),
      (n) => n === 0,
    );
    const refusals = await ingest.metric("driftwatch_ingest_write_failures_total", {
      kind: "rows",
    });
    expect(refusals).toBeGreaterThanOrEqual(2);
    expect(refusals).toBe(
      // The whole batch, then each half holding a refused row, down to the two single rows.
      await ingest.metric("driftwatch_ingest_write_failures_total", { target: "predictions" }),
    );
    expect(await ingest.metric("driftwatch_ingest_write_failures_total", { kind: "outage" })).toBe(
      0,
    );
    expect(
      await ingest.metric("driftwatch_ingest_dead_letters_total", { reason: "store_rejected" }),
    ).toBe(2);
    expect(ingest.fatal).toEqual([]);
  });

  it("pauses and retries, dead-lettering nothing, while a table it writes has vanished", async () => {
    env = await createIngestTestEnv("vanished");
    const predictions = tableRef(env.database, "predictions");
    const aside = tableRef(env.database, "predictions_aside");
    const ingest = await start();
    await env.engine.command(sql`RENAME TABLE ${predictions} TO ${aside}`);
    await produce(env.kafka, env.topics.predictions, predictionRecords(500));
    await waitFor(
      "failed attempts against the missing table",
      () => ingest.metric("driftwatch_ingest_write_failures_total", { kind: "refused" }),
      (n) => n >= 2,
    );
    expect(ingest.ingester.readiness()).toMatch(/writes are failing/);
    expect(await deadLetterCount(env.engine, env.database)).toBe(0);
    await env.engine.command(sql`RENAME TABLE ${aside} TO ${predictions}`);
    await waitFor(
      "every event stored once the table is back",
      () => tableCounts(env!.engine, env!.database, "predictions"),
      (counts) => counts.final >= 500,
    );
    expect(await tableCounts(env.engine, env.database, "predictions")).toEqual({
      rows: 500,
      final: 500,
      distinct: 500,
    });
    expect(await deadLetterCount(env.engine, env.database)).toBe(0);
    // Ready again once the ingester has taken the insert's acknowledgement (the rows can be
    // visible in ClickHouse a moment before).
    await waitFor(
      "the ingester ready again",
      async () => ingest.ingester.readiness(),
      (reason) => reason === "",
    );
  });
});

describe("limits", () => {
  it("sends DLQ records in chunks under the topic's max.message.bytes and truncates one too large for it", async () => {
    env = await createIngestTestEnv("dlqlimit");
    const limit = 16_384;
    const kafka = new Kafka({ brokers: brokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: 2, // topic
          name: env.topics.dlq,
          configEntries: [{ name: "max.message.bytes", value: String(limit) }],
        },
      ],
    });
    await admin.disconnect();
    // 60 invalid events of ~1 KB (60 KB together: several chunks) and one of 40 KB.
    const small = Array.from({ length: 60 }, (_, i) => ({
      key: `small-${i}`,
      value: JSON.stringify({ event_id: `small-${i}`, model: "m", pad: "x".repeat(1_000) }),
      partition: 0,
    }));
    const big = {
      key: "big",
      value: JSON.stringify({ event_id: "big", model: "m", pad: "y".repeat(40_000) }),
      partition: 0,
    };
    await produce(env.kafka, env.topics.predictions, [
      ...small.slice(0, 30),
      big,
      ...small.slice(30),
    ]);
    const ingest = await start({ batchMaxRows: 10_000, batchMaxWaitMs: 500 });
    await waitFor(
      "61 dead letters stored",
      () => deadLetterCount(env!.engine, env!.database),
      (n) => n >= 61,
    );
    const dlq = await readTopic(env.kafka, env.topics.dlq, 61);
    expect(dlq).toHaveLength(61);
    const bigRecord = dlq.find((record) => record.key?.toString() === "big")!;
    expect(String(bigRecord.headers.truncated)).toBe("true");
    expect(Number(String(bigRecord.headers["original-bytes"]))).toBe(big.value.length);
    expect(bigRecord.value!.length).toBeLessThan(limit);
    expect(big.value.startsWith(bigRecord.value!.toString())).toBe(true);
    for (const record of dlq.filter((item) => item.key?.toString() !== "big")) {
      expect(record.headers.truncated).toBeUndefined();
      expect(record.value!.toString()).toBe(
        small.find((item) => item.key === record.key?.toString())!.value,
      );
    }
    // The table keeps the large payload whole.
    const [row] = await env.engine.query<{ bytes: number }>(sql`
      SELECT length(raw) AS bytes FROM ${tableRef(env.database, "dead_letters")} WHERE \`offset\` = 30`);
    expect(Number(row!.bytes)).toBe(big.value.length);
    expect(await ingest.metric("driftwatch_ingest_dlq_truncated_total")).toBe(1);
    expect(await ingest.metric("driftwatch_ingest_write_failures_total")).toBe(0);
  });

  it("writes a batch once its inserts reach ingest.batchMaxBytes", async () => {
    env = await createIngestTestEnv("maxbytes");
    await produce(env.kafka, env.topics.predictions, predictionRecords(3_000));
    const ingest = await start({
      batchMaxRows: 100_000,
      batchMaxBytes: 65_536,
      batchMaxWaitMs: 60_000,
    });
    await waitFor(
      "every event stored without waiting for the batch timer",
      () => tableCounts(env!.engine, env!.database, "predictions"),
      (counts) => counts.final >= 3_000,
      30_000,
    );
    // ~130 encoded bytes per event, 1,000 per partition: each consumed partition batch passes
    // 64 KiB and is written at once (the limit is checked after each fetched record batch). A
    // batch is counted once its insert is acknowledged, a moment after its rows are visible.
    const batchesWritten = async () => {
      const histogram = await ingest.registry
        .getSingleMetric("driftwatch_ingest_batch_messages")!
        .get();
      return histogram.values.find(
        (value) =>
          (value as { metricName?: string }).metricName ===
          "driftwatch_ingest_batch_messages_count",
      )!.value;
    };
    await waitFor("three batches counted", batchesWritten, (batches) => batches >= 3, 10_000);
  });

  it("dead-letters events of models beyond ingest.maxModels or outside ingest.models, across restarts", async () => {
    env = await createIngestTestEnv("models");
    const models = { allow: ["*"], deny: ["blocked-*"], maxModels: 5, activeDays: 0 };
    const flood = Array.from({ length: 20 }, (_, m) =>
      predictionRecords(10, { model: `flood-${m}`, prefix: `m${m}` }),
    ).flat();
    const blocked = predictionRecords(5, { model: "blocked-one", prefix: "b" });
    await produce(env.kafka, env.topics.predictions, [...flood, ...blocked]);
    const first = await start({ models });
    await waitFor(
      "every message stored or dead-lettered",
      async () =>
        (await tableCounts(env!.engine, env!.database, "predictions")).final +
        (await deadLetterCount(env!.engine, env!.database)),
      (n) => n >= 205,
    );
    const [stored] = await env.engine.query<{ models: number; events: number }>(sql`
      SELECT uniqExact(model) AS models, count() AS events FROM ${tableRef(env.database, "predictions")} FINAL`);
    // Five models admitted, each with all ten of its events.
    expect(stored).toEqual({ models: 5, events: 50 });
    const [reasons] = await env.engine.query<{ too_many: number; not_allowed: number }>(sql`
      SELECT countIf(reason = 'too_many_models') AS too_many, countIf(reason = 'model_not_allowed') AS not_allowed
      FROM ${tableRef(env.database, "dead_letters")}`);
    expect(reasons).toEqual({ too_many: 150, not_allowed: 5 });
    // An insert's materialized views are written after its rows are visible in predictions:
    // wait for every view to have counted the 50 stored events.
    const views = await waitFor(
      "every view of predictions counts the stored events",
      async () =>
        (
          await env!.engine.query<{ counted: number; census: number; cells: number }>(sql`
      SELECT (SELECT sum(rows) FROM ${tableRef(env!.database, "ingest_counts")}
          WHERE table_name = 'predictions') AS counted,
        (SELECT countMerge(n) FROM ${tableRef(env!.database, "histogram_census")}) AS census,
        (SELECT countMerge(n) FROM ${tableRef(env!.database, "feature_histograms")}) AS cells`)
        )[0]!,
      (row) => Number(row.counted) >= 50 && Number(row.census) >= 50 && Number(row.cells) >= 195,
    );
    // 50 events × (age, income, score unless null, prediction).
    expect(views).toEqual({ counted: 50, census: 50, cells: 195 });
    const catalog = await readModelCatalog(env.engine, env.database);
    expect(catalog).toHaveLength(5);
    await first.ingester.stop();
    running = [];

    // A restarted ingester counts the stored models: an admitted one still flows, a new one not.
    const admitted = catalog[0]!.model;
    await produce(env.kafka, env.topics.predictions, [
      ...predictionRecords(1, { model: admitted, prefix: "again" }),
      ...predictionRecords(1, { model: "brand-new", prefix: "new" }),
    ]);
    await start({ models });
    await waitFor(
      "the two new messages handled",
      async () =>
        (await tableCounts(env!.engine, env!.database, "predictions")).final +
        (await deadLetterCount(env!.engine, env!.database)),
      (n) => n >= 207,
    );
    const [after] = await env.engine.query<{ admitted: number; fresh: number }>(sql`
      SELECT countIf(model = ${admitted}) AS admitted, countIf(model = 'brand-new') AS fresh
      FROM ${tableRef(env.database, "predictions")} FINAL`);
    expect(after).toEqual({ admitted: 11, fresh: 0 });
    const [fresh] = await env.engine.query<{ reason: string }>(sql`
      SELECT reason FROM ${tableRef(env.database, "dead_letters")} WHERE position(raw, 'brand-new') > 0`);
    expect(fresh?.reason).toBe("too_many_models");
  });
});
