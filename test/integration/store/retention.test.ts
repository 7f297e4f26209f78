// Retention on both engines: only day partitions that end before now − days are dropped; tables
// with 0 or no retention keep everything; a second run drops nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  applyRetention,
  dropDatabase,
  qualifiedName,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { deadLetterRow, predictionRow } from "../../support/rows.js";
import { ENGINES, uniqueDatabase } from "../../support/stack.js";

const NOW = new Date("2026-11-23T12:00:00Z");
/** Event times around the 7-day limit (cutoff 2026-11-16T12:00Z; the server runs in UTC). */
const EVENT_TIMES = [
  "2026-11-23T08:00:00Z", // today
  "2026-11-20T00:00:00Z",
  "2026-11-16T13:00:00Z", // younger than the limit, in the cutoff's day
  "2026-11-16T11:00:00Z", // older, but its day also holds younger rows: kept with it
  "2026-11-15T23:59:59Z", // whole day older than the limit
  "2026-10-01T10:00:00Z",
];

/** A prediction row at `ts` (a Date: engine.insert writes it as the server's DateTime). */
function predictionAt(ts: string, index: number): object {
  const row = predictionRow({ model: "retention-test", event_id: `e${index}` });
  return { ...row, ts: new Date(ts), num_values: [index], kafka_offset: index, ingested_at: NOW };
}

function labelRow(ts: string, index: number): object {
  return {
    model: "retention-test",
    event_id: `e${index}`,
    label: "1",
    label_value: 1,
    ts: new Date(ts),
    kafka_topic: "l",
    kafka_partition: 0,
    kafka_offset: index,
    ingested_at: NOW,
  };
}

function deadLetterAt(ts: string, index: number): object {
  return {
    ...deadLetterRow({ offset: index, detail: "" }),
    received_at: new Date(ts),
    raw: "{",
    key: "",
  };
}

async function partitions(engine: SqlEngine, database: string, table: string): Promise<number[]> {
  const rows = await engine.query<{ partition: string }>(
    sql`SELECT DISTINCT partition FROM system.parts WHERE database = ${database} AND table = ${table} AND active ORDER BY partition`,
  );
  return rows.map((row) => Number(row.partition));
}

for (const engineUnderTest of ENGINES) {
  describe(`retention on ${engineUnderTest.name}`, () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("retention");
    const table = (name: string) => qualifiedName(database, name);

    beforeAll(async () => {
      engine = await engineUnderTest.open();
      await applyMigrations(engine, database);
      await engine.insert(table("predictions"), EVENT_TIMES.map(predictionAt));
      await engine.insert(table("labels"), EVENT_TIMES.map(labelRow));
      await engine.insert(table("dead_letters"), EVENT_TIMES.map(deadLetterAt));
    });

    afterAll(async () => {
      await dropDatabase(engine, database);
      await engine.close();
    });

    it("drops only the day partitions wholly older than the limit", async () => {
      expect(await partitions(engine, database, "predictions")).toEqual([
        20261001, 20261115, 20261116, 20261120, 20261123,
      ]);
      const config = {
        clickhouse: { database },
        retention: { predictions: 7, dead_letters: 0, drift_results: 30 },
      };
      const dropped = await applyRetention(engine, config, NOW);
      // The hourly aggregates the views keep of predictions go with them (no categories here).
      expect(dropped).toEqual([
        { table: "predictions", partition: 20261001 },
        { table: "predictions", partition: 20261115 },
        { table: "feature_histograms", partition: 20261001 },
        { table: "feature_histograms", partition: 20261115 },
        { table: "histogram_census", partition: 20261001 },
        { table: "histogram_census", partition: 20261115 },
      ]);
      for (const kept of ["predictions", "feature_histograms", "histogram_census"]) {
        expect(await partitions(engine, database, kept)).toEqual([20261116, 20261120, 20261123]);
      }
      const remaining = await engine.query<{ ts: number }>(
        sql`SELECT toUnixTimestamp(ts) AS ts FROM ${tableRef(database, "predictions")} ORDER BY ts`,
      );
      expect(
        remaining.map((row) => new Date(row.ts * 1000).toISOString().replace(".000", "")),
      ).toEqual(EVENT_TIMES.slice(0, 4).sort());
    });

    it("keeps everything in tables with retention 0 or none", async () => {
      expect(await partitions(engine, database, "dead_letters")).toHaveLength(5);
      expect(await partitions(engine, database, "labels")).toHaveLength(5);
    });

    it("a second run drops nothing", async () => {
      const config = { clickhouse: { database }, retention: { predictions: 7 } };
      expect(await applyRetention(engine, config, NOW)).toEqual([]);
    });

    it("a shorter limit later drops the next days", async () => {
      const config = { clickhouse: { database }, retention: { labels: 3, predictions: 3 } };
      const dropped = await applyRetention(engine, config, NOW);
      expect(dropped).toEqual([
        { table: "labels", partition: 20261001 },
        { table: "labels", partition: 20261115 },
        { table: "labels", partition: 20261116 },
        { table: "predictions", partition: 20261116 },
        { table: "feature_histograms", partition: 20261116 },
        { table: "histogram_census", partition: 20261116 },
      ]);
    });
  });
}
