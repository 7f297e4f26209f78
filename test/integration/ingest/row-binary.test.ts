// The ingester's RowBinary encoding read back by ClickHouse 18.16 (HTTP insert) and by current
// ClickHouse (chdb reading the same bytes): awkward strings, long and non-ASCII values, nulls,
// offsets beyond 32 bits, and labels — every value must come back as it went in.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LABEL_COLUMNS,
  PREDICTION_COLUMNS,
  RowBinaryWriter,
} from "../../../src/ingest/row-binary.js";
import type { LabelRow, PredictionRow } from "../../../src/ingest/rows.js";
import {
  applyMigrations,
  createChdbEngine,
  dropDatabase,
  qualifiedName,
  raw,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { predictionRow } from "../../support/rows.js";
import { serverEngine, uniqueDatabase } from "../../support/stack.js";

const NUM_NAMES = ["income", "od280/od315_of_diluted_wines", "f".repeat(256)];
const CAT_NAMES = ["region", "quote'\"\\", "emoji \u{1F9EA}"];
const MISSING_NAMES = ["score", "x".repeat(200)];

const PREDICTIONS: PredictionRow[] = [
  predictionRow({ event_id: "plain", kafka_offset: 1 }),
  predictionRow({
    model: "m.o_d-e1",
    model_version: "v\u00e9rsion \u65e5\u672c",
    event_id: "\u00e9".repeat(128), // 256 bytes: a two-byte length prefix
    ts: 4_294_967_295,
    ts_ms: 999,
    num_names: NUM_NAMES,
    num_values: [-0.5, 1e-300, 1.7976931348623157e308],
    cat_names: CAT_NAMES,
    cat_values: ["EU", "", "tab\there\nnewline"],
    missing_names: MISSING_NAMES,
    prediction: "approve",
    prediction_value: null,
    label: "1",
    label_value: 1,
    kafka_topic: "driftwatch.predictions",
    kafka_partition: 4_000_000_000,
    kafka_offset: 2 ** 40 + 7,
  }),
  predictionRow({
    event_id: "empty arrays",
    num_names: [],
    num_values: [],
    prediction: "0.25",
    prediction_value: 0.25,
  }),
  // Rows repeating the names of the row before them (their encoding is reused), then one whose
  // last name differs; ASCII ids at the one-byte length prefix's limit and a non-ASCII one.
  predictionRow({
    event_id: "a".repeat(126) + "\u00e9",
    num_names: [...NUM_NAMES],
    num_values: [1, 2, 3],
    cat_names: [...CAT_NAMES],
    cat_values: ["US", "q", "\u{1F9EA}"],
    missing_names: [...MISSING_NAMES],
    prediction: "0.5",
    prediction_value: 0.5,
    kafka_offset: 10,
  }),
  predictionRow({
    event_id: "b".repeat(127),
    num_names: [...NUM_NAMES],
    num_values: [4, 5, 6],
    cat_names: [...CAT_NAMES],
    cat_values: ["APAC", "r", ""],
    missing_names: [...MISSING_NAMES],
    kafka_offset: 11,
  }),
  predictionRow({
    event_id: "c".repeat(128),
    num_names: [...NUM_NAMES.slice(0, 2), "f".repeat(255) + "g"],
    num_values: [7, 8, 9],
    cat_names: [...CAT_NAMES],
    cat_values: ["EU", "s", "t"],
    missing_names: [],
    kafka_offset: 12,
  }),
];

const LABELS: LabelRow[] = [
  {
    model: "m",
    event_id: "plain",
    label: "fraud",
    label_value: null,
    ts: 1_800_000_000,
    kafka_topic: "l",
    kafka_partition: 1,
    kafka_offset: 2 ** 33,
    ingested_at: 5,
  },
  {
    model: "m",
    event_id: "\u00fc".repeat(100),
    label: null,
    label_value: null,
    ts: 0,
    kafka_topic: "l",
    kafka_partition: 0,
    kafka_offset: 0,
    ingested_at: 0,
  },
];

function encode(): { predictions: Buffer; labels: Buffer } {
  const predictions = new RowBinaryWriter(16); // tiny start: exercises growth
  for (const row of PREDICTIONS) predictions.writePrediction(row);
  const labels = new RowBinaryWriter(16);
  for (const row of LABELS) labels.writeLabel(row);
  return { predictions: Buffer.from(predictions.bytes()), labels: Buffer.from(labels.bytes()) };
}

/** The columns as stored; DateTimes as epoch seconds (18.16 prints dates past 2037 wrongly). */
function selectList(columns: readonly string[]) {
  return raw(
    columns
      .map((column) =>
        column === "ts" || column === "ingested_at" ? `toUInt32(${column}) AS ${column}` : column,
      )
      .join(", "),
  );
}

async function readBack(engine: SqlEngine, database: string) {
  const predictions = await engine.query<Record<string, unknown>>(
    sql`SELECT ${selectList(PREDICTION_COLUMNS)} FROM ${tableRef(database, "predictions")} ORDER BY kafka_offset`,
  );
  const labels = await engine.query<Record<string, unknown>>(
    sql`SELECT ${selectList(LABEL_COLUMNS)} FROM ${tableRef(database, "labels")} ORDER BY kafka_offset`,
  );
  return { predictions, labels };
}

function expected(rows: readonly { kafka_offset: number }[]): object[] {
  return [...rows].sort((a, b) => a.kafka_offset - b.kafka_offset);
}

describe("RowBinary rows", () => {
  const { predictions, labels } = encode();

  it("are read back unchanged by ClickHouse 18.16 over HTTP", async () => {
    const engine = serverEngine();
    const database = uniqueDatabase("rowbin");
    try {
      await applyMigrations(engine, database);
      await engine.insertJsonEachRow(qualifiedName(database, "predictions"), predictions, {
        format: "RowBinary",
        columns: PREDICTION_COLUMNS,
      });
      await engine.insertJsonEachRow(qualifiedName(database, "labels"), labels, {
        format: "RowBinary",
        columns: LABEL_COLUMNS,
      });
      const back = await readBack(engine, database);
      expect(back.predictions).toEqual(expected(PREDICTIONS));
      expect(back.labels).toEqual(expected(LABELS));
    } finally {
      await dropDatabase(engine, database);
      await engine.close();
    }
  });

  describe("on current ClickHouse (chdb)", () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("rowbin");
    const dir = mkdtempSync(join(tmpdir(), "dw-rowbinary-"));

    beforeAll(async () => {
      engine = await createChdbEngine();
      await applyMigrations(engine, database);
    });

    afterAll(async () => {
      await dropDatabase(engine, database);
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("are read back unchanged from the same bytes", async () => {
      for (const [table, bytes, columns] of [
        ["predictions", predictions, PREDICTION_COLUMNS],
        ["labels", labels, LABEL_COLUMNS],
      ] as const) {
        const file = join(dir, `${table}.bin`);
        writeFileSync(file, bytes);
        const [structure] = await engine.query<{ s: string }>(sql`
          SELECT arrayStringConcat(groupArray(concat(name, ' ', type)), ', ') AS s FROM (
            SELECT name, type FROM system.columns WHERE database = ${database} AND table = ${table} AND has(${[...columns]}, name)
            ORDER BY indexOf(${[...columns]}, name))`);
        await engine.command(sql`INSERT INTO ${tableRef(database, table)} (${raw(columns.join(", "))})
          SELECT * FROM file(${file}, 'RowBinary', ${structure!.s})`);
      }
      const back = await readBack(engine, database);
      expect(back.predictions).toEqual(expected(PREDICTIONS));
      expect(back.labels).toEqual(expected(LABELS));
    });
  });
});
