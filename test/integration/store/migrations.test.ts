// Migrations on both engines: a fresh database gets every table of docs/storage.md; applying again
// applies nothing and leaves system.tables / system.columns identical; a new migration added to
// the list is applied alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  appliedMigrationVersions,
  checkMigrationRegistry,
  dropDatabase,
  MIGRATIONS,
  sql,
  tableRef,
  type Migration,
  type SqlEngine,
} from "../../../src/store/index.js";
import { ENGINES, uniqueDatabase } from "../../support/stack.js";

/** Everything about the schema that a second run must not change. */
async function snapshotSchema(engine: SqlEngine, database: string): Promise<unknown> {
  const tables = await engine.query(
    sql`SELECT name, engine, engine_full, create_table_query, partition_key, sorting_key,
  toUnixTimestamp(metadata_modification_time) AS modified
FROM system.tables WHERE database = ${database} ORDER BY name`,
  );
  const columns = await engine.query(
    sql`SELECT table, name, type, default_kind, default_expression
FROM system.columns WHERE database = ${database} ORDER BY table, name`,
  );
  const recorded = await engine.query(
    sql`SELECT version, name, toUnixTimestamp(applied_at) AS at FROM ${tableRef(database, "schema_migrations")} ORDER BY version`,
  );
  return { tables, columns, recorded };
}

async function columnTypes(
  engine: SqlEngine,
  database: string,
  table: string,
): Promise<[string, string][]> {
  const rows = await engine.query<{ name: string; type: string }>(
    sql`SELECT name, type FROM system.columns WHERE database = ${database} AND table = ${table} ORDER BY name`,
  );
  return rows.map((row) => [row.name, row.type]);
}

const sorted = (pairs: [string, string][]) => [...pairs].sort((a, b) => a[0].localeCompare(b[0]));

for (const engineUnderTest of ENGINES) {
  describe(`migrations on ${engineUnderTest.name}`, () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("migrate");

    beforeAll(async () => {
      engine = await engineUnderTest.open();
    });

    afterAll(async () => {
      await dropDatabase(engine, database);
      await engine.close();
    });

    it("a fresh database gets every migration, in order", async () => {
      const applied = await applyMigrations(engine, database);
      expect(applied.map((migration) => migration.version)).toEqual(
        MIGRATIONS.map((migration) => migration.version),
      );
      const tables = await engine.query<{ name: string }>(
        sql`SELECT name FROM system.tables WHERE database = ${database} ORDER BY name`,
      );
      // Later issues add tables with migrations of their own: these are the ones of docs/storage.md.
      expect(tables.map((table) => table.name)).toEqual(
        expect.arrayContaining([
          "alerts",
          "audit_log",
          "dead_letters",
          "drift_results",
          "labels",
          "notifications",
          "performance_results",
          "predictions",
          "schema_migrations",
        ]),
      );
    });

    it("the tables have the columns docs/storage.md promises", async () => {
      expect(await columnTypes(engine, database, "predictions")).toEqual(
        sorted([
          ["model", "String"],
          ["model_version", "String"],
          ["event_id", "String"],
          ["ts", "DateTime"],
          ["ts_ms", "UInt16"],
          ["num_names", "Array(String)"],
          ["num_values", "Array(Float64)"],
          ["cat_names", "Array(String)"],
          ["cat_values", "Array(String)"],
          ["missing_names", "Array(String)"],
          ["prediction", "Nullable(String)"],
          ["prediction_value", "Nullable(Float64)"],
          ["label", "Nullable(String)"],
          ["label_value", "Nullable(Float64)"],
          ["kafka_topic", "String"],
          ["kafka_partition", "UInt32"],
          ["kafka_offset", "UInt64"],
          ["ingested_at", "DateTime"],
        ]),
      );
      expect(await columnTypes(engine, database, "dead_letters")).toEqual(
        sorted([
          ["received_at", "DateTime"],
          ["topic", "String"],
          ["partition", "UInt32"],
          ["offset", "UInt64"],
          ["reason", "String"],
          ["detail", "String"],
          ["raw", "String"],
          ["key", "String"],
        ]),
      );
      const drift = new Map(await columnTypes(engine, database, "drift_results"));
      for (const column of [
        "model",
        "model_version",
        "window_start",
        "window_end",
        "feature",
        "metric",
        "value",
        "threshold",
        "drifted",
      ]) {
        expect(drift.has(column), column).toBe(true);
      }
      const performance = new Map(await columnTypes(engine, database, "performance_results"));
      for (const column of [
        "model",
        "model_version",
        "window_start",
        "window_end",
        "metric",
        "value",
        "reference_value",
        "n_labelled",
      ]) {
        expect(performance.has(column), column).toBe(true);
      }
      // Migration 9: an estimate's bands and verdict (added columns with defaults).
      for (const column of ["band_lower", "band_upper", "threshold_lower", "threshold_upper"]) {
        expect(performance.get(column), column).toBe("Float64");
      }
      expect(performance.get("alert")).toBe("UInt8");
      const [predictions] = await engine.query<{
        engine: string;
        partition_key: string;
        sorting_key: string;
      }>(
        sql`SELECT engine, partition_key, sorting_key FROM system.tables WHERE database = ${database} AND name = 'predictions'`,
      );
      expect(predictions?.engine).toBe("ReplacingMergeTree");
      expect(predictions?.partition_key).toBe("toYYYYMMDD(ts)");
      expect(predictions?.sorting_key.replace(/\s/g, "")).toBe("model,ts,event_id");
    });

    it("applying again applies nothing and changes nothing", async () => {
      const before = await snapshotSchema(engine, database);
      const again = await applyMigrations(engine, database);
      expect(again).toEqual([]);
      expect(await snapshotSchema(engine, database)).toEqual(before);
      const versions = await appliedMigrationVersions(engine, database);
      expect([...versions]).toEqual(MIGRATIONS.map((migration) => migration.version));
    });

    it("a migration added to the list later is applied alone", async () => {
      const extra: Migration = {
        version: MIGRATIONS[MIGRATIONS.length - 1]!.version + 100,
        name: "test: extra table",
        statements: ({ database: db }) => [
          sql`CREATE TABLE IF NOT EXISTS ${tableRef(db, "extra_for_test")} (x UInt8) ENGINE = Memory`,
        ],
      };
      const applied = await applyMigrations(engine, database, {
        migrations: [...MIGRATIONS, extra],
      });
      expect(applied).toEqual([{ version: extra.version, name: extra.name }]);
      const [row] = await engine.query<{ n: number }>(
        sql`SELECT count() AS n FROM system.tables WHERE database = ${database} AND name = 'extra_for_test'`,
      );
      expect(row?.n).toBe(1);
      expect(
        await applyMigrations(engine, database, { migrations: [...MIGRATIONS, extra] }),
      ).toEqual([]);
    });

    it("adds a column only where it is missing (18.16 has no ADD COLUMN IF NOT EXISTS)", async () => {
      const columns: Migration = {
        version: MIGRATIONS[MIGRATIONS.length - 1]!.version + 200,
        name: "test: columns, one already there",
        statements: () => [],
        addColumns: [
          { table: "performance_results", name: "alert", definition: "UInt8 DEFAULT 0" },
          {
            table: "performance_results",
            name: "extra_for_test",
            definition: "Float64 DEFAULT nan",
          },
        ],
      };
      const before = new Map(await columnTypes(engine, database, "performance_results"));
      await applyMigrations(engine, database, { migrations: [...MIGRATIONS, columns] });
      const after = new Map(await columnTypes(engine, database, "performance_results"));
      expect(after.size).toBe(before.size + 1);
      expect(after.get("extra_for_test")).toBe("Float64");
    });
  });
}

describe("the migration registry", () => {
  it("is in increasing version order with unique versions", () => {
    expect(() => checkMigrationRegistry(MIGRATIONS)).not.toThrow();
  });

  it("refuses duplicates and disorder", () => {
    const first = MIGRATIONS[0]!;
    expect(() => checkMigrationRegistry([first, first])).toThrow(/out of order/);
    expect(() => checkMigrationRegistry([MIGRATIONS[1]!, first])).toThrow(/out of order/);
  });
});
