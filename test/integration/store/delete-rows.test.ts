// Deleting rows by a condition (the demo replacing an earlier run's rows) on both engines: only
// the matching rows go, the wait for mutations ends, and the tables holding a column are named
// by their fixed names (test/cluster/cluster-storage.test.ts runs the same on a cluster).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  deleteRows,
  dropDatabase,
  pendingMutations,
  sql,
  tableRef,
  tablesWithColumn,
  type SqlEngine,
} from "../../../src/store/index.js";
import { waitFor } from "../../support/clock.js";
import { ENGINES, uniqueDatabase } from "../../support/stack.js";

for (const engineUnderTest of ENGINES) {
  describe(`deleting rows on ${engineUnderTest.name}`, () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("delete");

    beforeAll(async () => {
      engine = await engineUnderTest.open();
      await applyMigrations(engine, database);
    });

    afterAll(async () => {
      await dropDatabase(engine, database);
      await engine.close();
    });

    it("deletes the matching rows only and waits for the mutation", async () => {
      const tables = await tablesWithColumn(engine, database, "model");
      expect(tables).toContain("predictions");
      expect(tables).toContain("model_catalog");
      expect(tables).not.toContain("audit_log");
      await engine.insert(
        `${database}.evaluated_windows`,
        ["a", "b", "a"].map((model, i) => ({
          model,
          model_version: "1",
          window_start: 1_765_000_000 + i * 3600,
          window_end: 1_765_003_600 + i * 3600,
          row_count: 1,
          n_labelled: 0,
          performance_evaluated: 0,
          drift_share: 0,
          drifted: 0,
          degraded: 0,
          reasons: [],
          skipped_reason: "",
          evaluated_at: 1_765_010_000,
          evaluated_at_ms: 1_765_010_000_000,
        })),
      );
      await deleteRows(engine, database, "evaluated_windows", sql`model = ${"a"}`);
      await waitFor(
        "the mutation done",
        () => pendingMutations(engine, database),
        (n) => n === 0,
      );
      const rows = await engine.query<{ model: string }>(
        sql`SELECT model FROM ${tableRef(database, "evaluated_windows")}`,
      );
      expect(rows).toEqual([{ model: "b" }]);
    });
  });
}
