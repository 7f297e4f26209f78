// Events fuzz on a private Kafka broker and a private ClickHouse 18.16: a fixed-seed sequence of a
// few thousand messages (fuzz-support.ts) — valid prediction events, labels on the labels topic,
// every poison class, resends and duplicate event ids, keys sometimes null or not UTF-8 — is
// produced through the broker (3 partitions per topic) while an in-process Ingester
// (ingest.maxEventBytes 8 KiB) writes to ClickHouse. Each message is then checked against the
// validator's verdict on its bytes as consumed (validatePrediction / validateLabel):
// - a valid one is stored exactly once, with exactly the values of its verdict (FINAL,
//   uniqExact and raw counts all equal the distinct (model, event_id); a resend or a duplicate
//   event id is one row, that of one of its copies);
// - an invalid one is in dead_letters with the validator's reason and detail, its payload and key
//   bytes as produced, and on the DLQ topic with the same reason, bytes and original position;
// - ingestion never stopped: no failed write, no fatal error, nothing paused or truncated, every
//   offset committed, and Ingester.stop() resolves true.
//
// DRIFTWATCH_FUZZ_RUNS=N runs N sequences (seeds SEED … SEED+N-1, default 1; `npm run fuzz`),
// each with the next of CONFIGS (batch sizes, dedup window); DRIFTWATCH_FUZZ_SEED changes SEED. Counterexamples are kept in FIXED (produced first, each run).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KafkaRecord, OutgoingRecord } from "../../src/kafka/index.js";
import { MAX_DETAIL_CHARS, validateLabel, validatePrediction } from "../../src/ingest/validate.js";
import type { IngesterSettings } from "../../src/ingest/ingester.js";
import type { LabelRow, PredictionRow } from "../../src/ingest/rows.js";
import { sql, tableRef } from "../../src/store/index.js";
import { waitFor } from "../support/clock.js";
import {
  createIngestTestEnv,
  type IngestTestEnv,
  readTopic,
  type RunningIngester,
  startIngester,
  tableCounts,
  uncommitted,
} from "../support/ingest.js";
import { fixedMessage, fuzzMessages, MAX_EVENT_BYTES, type FuzzMessage } from "./fuzz-support.js";
import { startPrivateServers, type PrivateServers } from "./private-servers.js";

const RUNS = Math.max(1, Math.floor(Number(process.env.DRIFTWATCH_FUZZ_RUNS ?? "1")) || 1);
const SEED = Number(process.env.DRIFTWATCH_FUZZ_SEED ?? "20261123");
const MESSAGES = 3_000;

let servers: PrivateServers;

beforeAll(async () => {
  servers = await startPrivateServers();
});

afterAll(async () => {
  await servers?.destroy();
});

// ---------------------------------------------------------------------------------------------
// The regression corpus: produced first in every run.

/** The poison messages of test/integration/ingest/poison.test.ts and hand-picked edges. */
const FIXED: readonly FuzzMessage[] = [
  ['{"event_id":"p-1","model":"credit-risk","features":{"inc\\ud800ome":1}}', "predictions"],
  ['{"event_id":"p-2","model":"credit-risk","features":{"region":"\\udfff"}}', "predictions"],
  [
    '{"event_id":"p-3","model":"credit-risk","features":{},"prediction":{"\\ud800":1}}',
    "predictions",
  ],
  ["😀 not json at all 😀😀😀 " + "🙂".repeat(120), "predictions"],
  [
    JSON.stringify({
      event_id: "p-5",
      model: "credit-risk",
      features: { ["f".repeat(4_999) + "😀"]: 1 },
    }),
    "predictions",
  ],
  // Valid edges: a pair written as escapes, "\\ud800" as text, NUL, -0, the largest double,
  // 128 characters of event id, a 256-character feature name ending in an emoji, a leap second.
  [
    '{"event_id":"\\uD83D\\uDE00","model":"m","features":{"\\\\ud800":-0,"\\u0000":1.7976931348623157e308}}',
    "predictions",
  ],
  [
    `{"event_id":"${"é".repeat(127)}😀","model":"${"x".repeat(64)}","timestamp":"2016-12-31T23:59:60Z",` +
      `"features":{"${"f".repeat(255)}😀":"😀","__proto__":null,"n":5e-324},"label":""}`,
    "predictions",
  ],
  ['{"event_id":"l-1","model":"m","label":1e400}', "labels"],
  ['{"event_id":"l-2","model":"m","label":-0,"timestamp":4294967295000}', "labels"],
  ['{"event_id":"l-3","model":"m","label":"yes","timestamp":4294967295001}', "labels"],
  ["", "labels"],
].map(([value, topic], index) =>
  fixedMessage(
    index,
    `fixed #${index}`,
    topic as "predictions" | "labels",
    value!,
    index % 2 === 0 ? null : `k${index}`,
  ),
);

// ---------------------------------------------------------------------------------------------
// Producing and reading back.

const INDEX_HEADER = "fuzz-index";

/** Produce in sequence order, each topic's messages in order, in requests of at most 512 KiB. */
async function produceAll(env: IngestTestEnv, messages: readonly FuzzMessage[]): Promise<void> {
  const producer = env.kafka.producer();
  await producer.connect();
  try {
    const pending = { predictions: [] as OutgoingRecord[], labels: [] as OutgoingRecord[] };
    const bytes = { predictions: 0, labels: 0 };
    const flush = async (topic: "predictions" | "labels") => {
      if (pending[topic].length === 0) return;
      await producer.send(env.topics[topic], pending[topic]);
      pending[topic] = [];
      bytes[topic] = 0;
    };
    for (const message of messages) {
      const size = message.value.length + (message.key?.length ?? 0) + 64;
      if (bytes[message.topic] + size > 512 * 1024 || pending[message.topic].length >= 500) {
        await flush(message.topic);
      }
      pending[message.topic].push({
        key: message.key,
        value: message.value,
        headers: { [INDEX_HEADER]: String(message.index) },
      });
      bytes[message.topic] += size;
    }
    await flush("predictions");
    await flush("labels");
  } finally {
    await producer.close();
  }
}

type Consumed = KafkaRecord & { partition: number };

/** Every record of `topic` (as many as its watermarks say), in no particular order. */
async function readAll(env: IngestTestEnv, topic: string): Promise<Consumed[]> {
  const admin = env.kafka.admin();
  await admin.connect();
  const total = (await admin.watermarks(topic)).reduce(
    (sum, mark) => sum + mark.high - mark.low,
    0,
  );
  await admin.close();
  if (total === 0) return [];
  const records = await readTopic(env.kafka, topic, total, 60_000);
  expect(records.length, `records read back from ${topic}`).toBe(total);
  return records;
}

const hex = (bytes: Buffer | null | undefined): string =>
  (bytes ?? Buffer.alloc(0)).toString("hex").toUpperCase();
const textHex = (text: string): string => hex(Buffer.from(text, "utf8"));
/** A Float64's bytes, little-endian, as ClickHouse's hex(reinterpretAsString(x)) (full width). */
function floatHex(value: number): string {
  const buffer = Buffer.alloc(8);
  buffer.writeDoubleLE(value);
  return hex(buffer);
}
const padFloat = (digits: string): string => digits.padEnd(16, "0");

// ---------------------------------------------------------------------------------------------
// What must have happened to each message.

interface Expectation {
  readonly message: FuzzMessage;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly record: Consumed;
}

interface ExpectedDeadLetter extends Expectation {
  readonly reason: string;
  readonly detail: string;
}

interface ExpectedRow<Row> extends Expectation {
  readonly row: Row;
}

interface Expected {
  readonly dead: ExpectedDeadLetter[];
  /** Valid events by (model, event_id) in hex: every copy that may be the stored one. */
  readonly predictions: Map<string, ExpectedRow<PredictionRow>[]>;
  readonly labels: Map<string, ExpectedRow<LabelRow>[]>;
  validPredictions: number;
  validLabels: number;
}

function expectationsOf(
  env: IngestTestEnv,
  consumed: { predictions: Consumed[]; labels: Consumed[] },
  messages: readonly FuzzMessage[],
): Expected {
  const byIndex = new Map(messages.map((message) => [message.index, message]));
  const expected: Expected = {
    dead: [],
    predictions: new Map(),
    labels: new Map(),
    validPredictions: 0,
    validLabels: 0,
  };
  const seen = new Set<number>();
  for (const role of ["predictions", "labels"] as const) {
    const topic = env.topics[role];
    for (const record of consumed[role]) {
      const index = Number(String(record.headers[INDEX_HEADER]));
      const message = byIndex.get(index);
      // The broker gives back the bytes as produced (a producer retry may add a copy).
      expect(message, `record ${record.partition}:${record.offset} of ${topic}`).toBeDefined();
      expect(hex(record.value), `value of message #${index}`).toBe(hex(message!.value));
      expect(hex(record.key), `key of message #${index}`).toBe(hex(message!.key));
      seen.add(index);
      const place = {
        message: message!,
        topic,
        partition: record.partition,
        offset: record.offset,
        record,
      };
      const incoming = {
        topic,
        partition: record.partition,
        offset: record.offset,
        timestampMs: record.timestampMs,
        value: record.value,
      };
      const rules = { maxEventBytes: MAX_EVENT_BYTES };
      if (role === "predictions") {
        const verdict = validatePrediction(incoming, rules, 0);
        if (!verdict.ok)
          expected.dead.push({ ...place, reason: verdict.reason, detail: verdict.detail });
        else {
          const key = `${textHex(verdict.row.model)}|${textHex(verdict.row.event_id)}`;
          expected.predictions.set(key, [
            ...(expected.predictions.get(key) ?? []),
            { ...place, row: verdict.row },
          ]);
          expected.validPredictions++;
        }
      } else {
        const verdict = validateLabel(incoming, rules, 0);
        if (!verdict.ok)
          expected.dead.push({ ...place, reason: verdict.reason, detail: verdict.detail });
        else {
          const key = `${textHex(verdict.row.model)}|${textHex(verdict.row.event_id)}`;
          expected.labels.set(key, [
            ...(expected.labels.get(key) ?? []),
            { ...place, row: verdict.row },
          ]);
          expected.validLabels++;
        }
      }
    }
  }
  expect(seen.size, "every produced message is on its topic").toBe(messages.length);
  return expected;
}

/** A message for failure output: index, kind, where, and its bytes (cut). */
function describeMessage(place: Expectation): string {
  const { message } = place;
  const bytes = message.value;
  const shown =
    bytes.length > 300
      ? `${bytes.subarray(0, 300).toString("hex")}… (${bytes.length} bytes)`
      : bytes.toString("hex");
  return `#${message.index} (${message.kind}) ${place.topic}:${place.partition}:${place.offset} key=${hex(message.key)} value=${JSON.stringify(bytes.subarray(0, 200).toString("utf8"))} hex=${shown}`;
}

// ---------------------------------------------------------------------------------------------
// What was stored.

interface StoredDeadLetter {
  topic: string;
  partition: number;
  offset: number;
  reason: string;
  detail_hex: string;
  raw_hex: string;
  key_hex: string;
}

async function storedDeadLetters(env: IngestTestEnv): Promise<StoredDeadLetter[]> {
  return env.engine.query<StoredDeadLetter>(sql`
    SELECT topic, \`partition\` AS partition, \`offset\` AS offset, reason,
           hex(detail) AS detail_hex, hex(raw) AS raw_hex, hex(key) AS key_hex
    FROM ${tableRef(env.database, "dead_letters")}`);
}

interface StoredPrediction {
  model: string;
  event_id: string;
  model_version: string;
  ts: number;
  ts_ms: number;
  num_names: string[];
  num_values: string[];
  cat_names: string[];
  cat_values: string[];
  missing_names: string[];
  prediction: string | null;
  prediction_null: number;
  prediction_bits: string;
  label: string | null;
  label_null: number;
  label_bits: string;
  kafka_partition: number;
  kafka_offset: number;
}

/** Every column as hex (strings and Float64 bits): compared byte for byte. */
async function storedPredictions(env: IngestTestEnv): Promise<StoredPrediction[]> {
  return env.engine.query<StoredPrediction>(sql`
    SELECT hex(model) AS model, hex(event_id) AS event_id, hex(model_version) AS model_version,
           toUInt32(ts) AS ts, ts_ms,
           arrayMap(x -> hex(x), num_names) AS num_names,
           arrayMap(x -> hex(reinterpretAsString(x)), num_values) AS num_values,
           arrayMap(x -> hex(x), cat_names) AS cat_names,
           arrayMap(x -> hex(x), cat_values) AS cat_values,
           arrayMap(x -> hex(x), missing_names) AS missing_names,
           hex(prediction) AS prediction, isNull(prediction_value) AS prediction_null,
           hex(reinterpretAsString(ifNull(prediction_value, 0))) AS prediction_bits,
           hex(label) AS label, isNull(label_value) AS label_null,
           hex(reinterpretAsString(ifNull(label_value, 0))) AS label_bits,
           kafka_partition, kafka_offset
    FROM ${tableRef(env.database, "predictions")} FINAL`);
}

function predictionAsStored(
  row: PredictionRow,
): Omit<StoredPrediction, "kafka_partition" | "kafka_offset"> {
  return {
    model: textHex(row.model),
    event_id: textHex(row.event_id),
    model_version: textHex(row.model_version),
    ts: row.ts,
    ts_ms: row.ts_ms,
    num_names: row.num_names.map(textHex),
    num_values: row.num_values.map(floatHex),
    cat_names: row.cat_names.map(textHex),
    cat_values: row.cat_values.map(textHex),
    missing_names: row.missing_names.map(textHex),
    prediction: row.prediction === null ? null : textHex(row.prediction),
    prediction_null: row.prediction_value === null ? 1 : 0,
    prediction_bits: floatHex(row.prediction_value ?? 0),
    label: row.label === null ? null : textHex(row.label),
    label_null: row.label_value === null ? 1 : 0,
    label_bits: floatHex(row.label_value ?? 0),
  };
}

function normalizedPrediction(row: StoredPrediction): ReturnType<typeof predictionAsStored> {
  return {
    model: row.model,
    event_id: row.event_id,
    model_version: row.model_version,
    ts: Number(row.ts),
    ts_ms: Number(row.ts_ms),
    num_names: row.num_names,
    num_values: row.num_values.map(padFloat),
    cat_names: row.cat_names,
    cat_values: row.cat_values,
    missing_names: row.missing_names,
    prediction: row.prediction,
    prediction_null: Number(row.prediction_null),
    prediction_bits: padFloat(row.prediction_bits),
    label: row.label,
    label_null: Number(row.label_null),
    label_bits: padFloat(row.label_bits),
  };
}

interface StoredLabel {
  model: string;
  event_id: string;
  label: string | null;
  label_null: number;
  label_bits: string;
  ts: number;
  kafka_partition: number;
  kafka_offset: number;
}

async function storedLabels(env: IngestTestEnv): Promise<StoredLabel[]> {
  return env.engine.query<StoredLabel>(sql`
    SELECT hex(model) AS model, hex(event_id) AS event_id, hex(label) AS label,
           isNull(label_value) AS label_null,
           hex(reinterpretAsString(ifNull(label_value, 0))) AS label_bits,
           toUInt32(ts) AS ts, kafka_partition, kafka_offset
    FROM ${tableRef(env.database, "labels")} FINAL`);
}

function labelAsStored(row: LabelRow) {
  return {
    model: textHex(row.model),
    event_id: textHex(row.event_id),
    label: row.label === null ? null : textHex(row.label),
    label_null: row.label_value === null ? 1 : 0,
    label_bits: floatHex(row.label_value ?? 0),
    ts: row.ts,
  };
}

function normalizedLabel(row: StoredLabel): ReturnType<typeof labelAsStored> {
  return {
    model: row.model,
    event_id: row.event_id,
    label: row.label,
    label_null: Number(row.label_null),
    label_bits: padFloat(row.label_bits),
    ts: Number(row.ts),
  };
}

// ---------------------------------------------------------------------------------------------
// One run: produce, ingest, compare.

const VALIDATOR_REASONS = [
  "too_large",
  "not_utf8",
  "invalid_text",
  "invalid_json",
  "missing_field",
  "wrong_type",
  "bad_event_id",
  "bad_model_name",
  "bad_model_version",
  "bad_timestamp",
  "bad_feature",
];

interface RunFigures {
  readonly messages: number;
  readonly dead: number;
  readonly predictions: number;
  readonly labels: number;
  readonly duplicates: number;
  /** Physical rows of predictions and labels (more than distinct when resends slipped through). */
  readonly rows: number;
  readonly seconds: number;
}

/**
 * Ingester settings, one per run in turn: the default (every resend within the dedup window, so
 * raw rows = FINAL = distinct); tiny batches cut by rows and bytes; and a dedup window of 64
 * events, so resends slip through to ClickHouse and only the counts the product reports (FINAL
 * per sorting key, uniqExact / LIMIT 1 BY per (model, event_id)) may collapse them.
 */
const CONFIGS: readonly Partial<IngesterSettings>[] = [
  { batchMaxRows: 700, batchMaxWaitMs: 200, dedupWindowEvents: 100_000 },
  { batchMaxRows: 50, batchMaxBytes: 32_768, batchMaxWaitMs: 50, dedupWindowEvents: 100_000 },
  { batchMaxRows: 5_000, batchMaxWaitMs: 1_000, dedupWindowEvents: 64 },
];

async function fuzzRun(
  run: number,
  messages: readonly FuzzMessage[],
  config: Partial<IngesterSettings>,
): Promise<RunFigures> {
  const started = Date.now();
  const windowHoldsAll = (config.dedupWindowEvents ?? 0) >= messages.length;
  const env = await createIngestTestEnv(`fuzz${run}`, {
    clickhouseUrl: servers.clickhouse.url,
    brokers: servers.kafka.brokers,
  });
  let running: RunningIngester | undefined;
  let watch: NodeJS.Timeout | undefined;
  try {
    running = await startIngester(env, { maxEventBytes: MAX_EVENT_BYTES, ...config });
    const ingest = running;
    let failingSeen = false;
    watch = setInterval(() => {
      if (/failing/.test(ingest.ingester.readiness())) failingSeen = true;
    }, 50);
    await produceAll(env, messages);
    const [predictionRecords, labelRecords] = await Promise.all([
      readAll(env, env.topics.predictions),
      readAll(env, env.topics.labels),
    ]);
    for (const records of [predictionRecords, labelRecords]) {
      expect(
        new Set(records.map((record) => record.partition)).size,
        "partitions used",
      ).toBeGreaterThan(1);
    }
    const expected = expectationsOf(
      env,
      { predictions: predictionRecords, labels: labelRecords },
      messages,
    );
    const reasons = new Set(expected.dead.map((letter) => letter.reason));
    // The generator reaches every reason the validators give, in every run.
    expect([...reasons].sort()).toEqual([...VALIDATOR_REASONS].sort());

    await waitFor(
      "every message written and its offset committed",
      async () => {
        const [predictions, labels, dead] = await Promise.all([
          tableCounts(env.engine, env.database, "predictions"),
          tableCounts(env.engine, env.database, "labels"),
          env.engine.query<{ n: number }>(
            sql`SELECT count() AS n FROM ${tableRef(env.database, "dead_letters")}`,
          ),
        ]);
        const open =
          (await uncommitted(env, env.topics.predictions)) +
          (await uncommitted(env, env.topics.labels));
        return {
          predictions: predictions.final,
          labels: labels.final,
          dead: Number(dead[0]!.n),
          open,
        };
      },
      // Offsets are committed only after ClickHouse acknowledged the batch (and the DLQ topic
      // took its dead letters): once nothing is uncommitted, everything consumed was written.
      (now) => now.open === 0,
      90_000,
    );
    clearInterval(watch);
    const problems: string[] = [];

    // Dead letters: one per invalid message, with the validator's reason and detail, the bytes.
    const stored = await storedDeadLetters(env);
    const position = (topic: string, partition: number, offset: number) =>
      `${topic}:${partition}:${offset}`;
    const storedAt = new Map<string, StoredDeadLetter[]>();
    for (const letter of stored) {
      const at = position(letter.topic, Number(letter.partition), Number(letter.offset));
      storedAt.set(at, [...(storedAt.get(at) ?? []), letter]);
    }
    for (const letter of expected.dead) {
      const found = storedAt.get(position(letter.topic, letter.partition, letter.offset)) ?? [];
      const want = {
        reason: letter.reason,
        detail: textHex(letter.detail),
        raw: hex(letter.record.value),
        key: hex(letter.record.key),
      };
      const got = found.map((row) => ({
        reason: row.reason,
        detail: row.detail_hex,
        raw: row.raw_hex,
        key: row.key_hex,
      }));
      if (got.length !== 1 || JSON.stringify(got[0]) !== JSON.stringify(want)) {
        problems.push(
          `dead letter of ${describeMessage(letter)}: expected ${letter.reason} (${JSON.stringify(letter.detail)}), stored ${JSON.stringify(
            found.map((row) => [row.reason, Buffer.from(row.detail_hex, "hex").toString()]),
          )}${got.length === 1 && got[0]!.raw !== want.raw ? " with other raw bytes" : ""}${got.length === 1 && got[0]!.key !== want.key ? " with another key" : ""}`,
        );
      }
      expect([...letter.detail].length).toBeLessThanOrEqual(MAX_DETAIL_CHARS);
    }
    if (stored.length !== expected.dead.length) {
      const wanted = new Set(
        expected.dead.map((letter) => position(letter.topic, letter.partition, letter.offset)),
      );
      for (const letter of stored) {
        const at = position(letter.topic, Number(letter.partition), Number(letter.offset));
        if (!wanted.has(at)) {
          const records = letter.topic === env.topics.labels ? labelRecords : predictionRecords;
          const place = records.find(
            (record) =>
              record.partition === Number(letter.partition) &&
              record.offset === Number(letter.offset),
          );
          problems.push(
            `unexpected dead letter ${at} ${letter.reason}: ${Buffer.from(letter.detail_hex, "hex").toString()} (${place === undefined ? "?" : `message #${String(place.headers[INDEX_HEADER])}`})`,
          );
        }
      }
    }

    // Predictions and labels: each valid (model, event_id) once, as one of its copies says.
    const comparisons = [
      {
        name: "predictions",
        rows: (await storedPredictions(env)).map((row) => ({
          key: `${row.model}|${row.event_id}`,
          at: [Number(row.kafka_partition), Number(row.kafka_offset)] as const,
          value: normalizedPrediction(row) as unknown,
        })),
        expected: expected.predictions as Map<string, ExpectedRow<PredictionRow | LabelRow>[]>,
        asStored: (row: PredictionRow | LabelRow): unknown =>
          predictionAsStored(row as PredictionRow),
      },
      {
        name: "labels",
        rows: (await storedLabels(env)).map((row) => ({
          key: `${row.model}|${row.event_id}`,
          at: [Number(row.kafka_partition), Number(row.kafka_offset)] as const,
          value: normalizedLabel(row) as unknown,
        })),
        expected: expected.labels as Map<string, ExpectedRow<PredictionRow | LabelRow>[]>,
        asStored: (row: PredictionRow | LabelRow): unknown => labelAsStored(row as LabelRow),
      },
    ];
    for (const { name, rows, expected: wanted, asStored } of comparisons) {
      const seenKeys = new Set<string>();
      for (const row of rows) {
        const copies = wanted.get(row.key);
        if (copies === undefined) {
          problems.push(
            `${name}: stored an event no valid message has: ${row.key} at ${row.at.join(":")}`,
          );
          continue;
        }
        if (seenKeys.has(row.key) && windowHoldsAll) {
          problems.push(`${name}: ${row.key} stored twice (FINAL)`);
        }
        seenKeys.add(row.key);
        const copy = copies.find(
          (item) => item.partition === row.at[0] && item.offset === row.at[1],
        );
        if (copy === undefined) {
          problems.push(
            `${name}: ${row.key} stored from ${row.at.join(":")}, which is none of its copies`,
          );
        } else if (JSON.stringify(row.value) !== JSON.stringify(asStored(copy.row))) {
          problems.push(
            `${name}: ${describeMessage(copy)} stored as ${JSON.stringify(row.value)}, expected ${JSON.stringify(asStored(copy.row))}`,
          );
        }
      }
      for (const [key, copies] of wanted) {
        if (!seenKeys.has(key))
          problems.push(`${name}: not stored: ${describeMessage(copies[0]!)}`);
      }
    }
    expect(problems.slice(0, 25), `${problems.length} problem(s)`).toEqual([]);

    // The counts the product reports: each event once. With every resend inside the dedup
    // window, not even a second physical row exists.
    for (const [table, wanted] of [
      ["predictions", expected.predictions],
      ["labels", expected.labels],
    ] as const) {
      const counts = await tableCounts(env.engine, env.database, table);
      if (windowHoldsAll) {
        expect(counts, table).toEqual({
          rows: wanted.size,
          final: wanted.size,
          distinct: wanted.size,
        });
      } else {
        expect(counts.distinct, table).toBe(wanted.size);
        const copies = [...wanted.values()].reduce((sum, list) => sum + list.length, 0);
        expect(counts.rows, table).toBeLessThanOrEqual(copies);
      }
    }

    // The DLQ topic holds the same dead letters, once each, whole.
    const dlq = await readAll(env, env.topics.dlq);
    const header = (record: Consumed, name: string) => String(record.headers[name] ?? "");
    const dlqEntries = dlq
      .map((record) => ({
        at: position(
          header(record, "original-topic"),
          Number(header(record, "original-partition")),
          Number(header(record, "original-offset")),
        ),
        reason: header(record, "reason"),
        detail: header(record, "detail"),
        value: hex(record.value),
        key: hex(record.key),
        truncated: record.headers.truncated === undefined ? "" : header(record, "truncated"),
      }))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const expectedEntries = expected.dead
      .map((letter) => ({
        at: position(letter.topic, letter.partition, letter.offset),
        reason: letter.reason,
        detail: letter.detail,
        value: hex(letter.record.value),
        key: hex(letter.record.key),
        truncated: "",
      }))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    expect(dlqEntries.length).toBe(expectedEntries.length);
    expect(dlqEntries).toEqual(expectedEntries);

    // Ingestion never stopped, nothing was lost on the way.
    expect(failingSeen, "readiness never said writes are failing").toBe(false);
    expect(ingest.fatal).toEqual([]);
    expect(ingest.ingester.readiness()).toBe("");
    for (const metric of [
      "driftwatch_ingest_write_failures_total",
      "driftwatch_ingest_commit_failures_total",
      "driftwatch_ingest_paused",
      "driftwatch_ingest_dlq_truncated_total",
      "driftwatch_ingest_dlq_unsendable_total",
      "driftwatch_ingest_dead_letters_without_payload_total",
      "driftwatch_ingest_dead_letters_unstored_total",
    ]) {
      expect(await ingest.metric(metric), metric).toBe(0);
    }
    for (const reason of VALIDATOR_REASONS) {
      expect(await ingest.metric("driftwatch_ingest_dead_letters_total", { reason }), reason).toBe(
        expected.dead.filter((letter) => letter.reason === reason).length,
      );
    }
    const rowsOf = async (table: "predictions" | "labels") =>
      (await tableCounts(env.engine, env.database, table)).rows;
    for (const [table, count] of [
      ["predictions", await rowsOf("predictions")],
      ["labels", await rowsOf("labels")],
      ["dead_letters", expected.dead.length],
    ] as const) {
      // Every row inserted once: the metric counts exactly the physical rows.
      expect(await ingest.metric("driftwatch_ingest_rows_inserted_total", { table }), table).toBe(
        count,
      );
    }
    const duplicates =
      expected.validPredictions -
      expected.predictions.size +
      expected.validLabels -
      expected.labels.size;
    if (windowHoldsAll) {
      expect(
        await ingest.metric("driftwatch_ingest_duplicates_dropped_total"),
      ).toBeGreaterThanOrEqual(duplicates);
    }
    expect(await uncommitted(env, env.topics.predictions)).toBe(0);
    expect(await uncommitted(env, env.topics.labels)).toBe(0);

    running = undefined;
    expect(await ingest.ingester.stop(), "Ingester.stop() resolves true").toBe(true);
    return {
      messages: messages.length,
      dead: expected.dead.length,
      predictions: expected.predictions.size,
      labels: expected.labels.size,
      duplicates,
      rows: (await rowsOf("predictions")) + (await rowsOf("labels")),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    clearInterval(watch);
    await running?.ingester.stop();
    await env.cleanup();
  }
}

describe("events fuzz", () => {
  it(
    `stores each valid event once and dead-letters each poison message with its reason and bytes, never stalling (${RUNS} run(s) of ${MESSAGES} messages)`,
    async () => {
      for (let run = 0; run < RUNS; run++) {
        const messages = [...FIXED, ...fuzzMessages(SEED + run, MESSAGES, FIXED.length)];
        const figures = await fuzzRun(run, messages, CONFIGS[run % CONFIGS.length]!);
        if (RUNS > 1)
          process.stderr.write(`fuzz-events seed ${SEED + run}: ${JSON.stringify(figures)}\n`);
      }
    },
    RUNS * 180_000,
  );
});
