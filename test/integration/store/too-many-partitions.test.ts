// Current ClickHouse (chdb) refuses one INSERT whose rows span more than 100 partitions (code 252,
// "Too many partitions for single INSERT block"; 18.16 has no such limit). The predictions table is
// partitioned by day, so a batch of events spread over more than 100 days (a backfill) would be
// refused whole: the failure is classified as the rows' (kind "size", not an overload that would
// be retried forever) and the insert is split until every piece fits — every row stored, none
// dead-lettered.
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  applyMigrations,
  createChdbEngine,
  dropDatabase,
  insertIsolatingRejected,
  qualifiedName,
  rejectsRows,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { predictionRow } from "../../support/rows.js";
import { uniqueDatabase } from "../../support/stack.js";

const database = uniqueDatabase("partitions");
let engine: SqlEngine;

beforeAll(async () => {
  engine = await createChdbEngine();
  await applyMigrations(engine, database);
});

afterAll(async () => {
  await dropDatabase(engine, database);
  await engine.close();
});

it("stores a batch spanning 250 days by splitting it, classifying the refusal as the rows' size", async () => {
  const day = 86_400;
  const rows = Array.from({ length: 250 }, (_, i) =>
    predictionRow({ event_id: `e${i}`, ts: 1_700_000_000 + i * day, kafka_offset: i }),
  );
  const table = qualifiedName(database, "predictions");
  const refused = await engine.insert(table, rows).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(rejectsRows(refused)).toBe(true);
  expect((refused as { kind: string }).kind).toBe("size");

  const inserts: number[] = [];
  const rejected: number[] = [];
  await insertIsolatingRejected(
    rows.length,
    async (from, to) => {
      inserts.push(to - from);
      await engine.insert(table, rows.slice(from, to));
    },
    ({ index }) => {
      rejected.push(index);
    },
  );
  expect(rejected).toEqual([]);
  const [count] = await engine.query<{ n: number }>(
    sql`SELECT count() AS n FROM ${tableRef(database, "predictions")}`,
  );
  expect(Number(count!.n)).toBe(250);
  // 250 → 125 + 125 → 62 + 63 + 62 + 63 (each ≤ 100 days): seven attempts, four stored pieces.
  expect(inserts).toEqual([250, 125, 62, 63, 125, 62, 63]);
});
