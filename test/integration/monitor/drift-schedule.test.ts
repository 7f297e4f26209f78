// The monitor on both engines (ClickHouse 18.16 over HTTP, chdb): a shift injected at a known
// time is found in every window after it and in none before; a fixed reference gives exactly the
// detectors' numbers on the same rows; duplicated events change nothing; windows missed while
// down are evaluated once; the binned path agrees with the exact one where it is exact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareNumeric } from "../../../detectors/index.js";
import { createMetricsRegistry } from "../../../src/metrics/index.js";
import { dropDatabase, sql, tableRef, type SqlEngine } from "../../../src/store/index.js";
import { DATA_START, HOUR } from "../../support/clock.js";
import {
  configFor,
  driftResults,
  insertEvents,
  migrate,
  monitorFor,
} from "../../support/monitor.js";
import { ENGINES, uniqueDatabase } from "../../support/stack.js";

const MODELS = `  - name: shifty
    interval: 1h
    minRows: 50
    labelDelay: 0s
  - name: binned
    interval: 1h
    minRows: 50
    exactRowLimit: 100
`;
/** Evaluated by its own monitors only (the first test's monitors evaluate every model above). */
const RESTARTED = `  - name: restarted
    interval: 1h
    minRows: 50
    labelDelay: 0s
`;

for (const engineUnderTest of ENGINES) {
  describe(`monitor evaluation on ${engineUnderTest.name}`, () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("monitor");
    const config = configFor(database, MODELS);
    const clock = { now: DATA_START };

    beforeAll(async () => {
      engine = await engineUnderTest.open();
      await migrate(engine, database);
      // Reference: 4 hours, 2000 rows. Then 6 hourly windows of 400 rows; shift of 1 sd from hour 7.
      await insertEvents(engine, database, {
        model: "shifty",
        from: DATA_START,
        to: DATA_START + 4 * HOUR,
        rows: 2000,
        seed: 1,
      });
      for (let hour = 4; hour < 10; hour++) {
        await insertEvents(engine, database, {
          model: "shifty",
          from: DATA_START + hour * HOUR,
          to: DATA_START + (hour + 1) * HOUR,
          rows: 400,
          seed: 10 + hour,
          shift: hour >= 7 ? 1 : 0,
        });
      }
      await insertEvents(engine, database, {
        model: "binned",
        from: DATA_START,
        to: DATA_START + 4 * HOUR,
        rows: 2000,
        seed: 1,
      });
      await insertEvents(engine, database, {
        model: "binned",
        from: DATA_START + 4 * HOUR,
        to: DATA_START + 5 * HOUR,
        rows: 400,
        seed: 14,
      });
      await insertEvents(engine, database, {
        model: "restarted",
        from: DATA_START,
        to: DATA_START + 8 * HOUR,
        rows: 1600,
        seed: 30,
      });
    });

    afterAll(async () => {
      await dropDatabase(engine, database);
      await engine.close();
    });

    it("finds the shift in every window after it and none before, each window once", async () => {
      const registry = createMetricsRegistry();
      const monitor = monitorFor(config, engine, clock, registry);
      await monitor.setReference(
        "shifty",
        "1",
        { kind: "fixed", from: DATA_START, to: DATA_START + 4 * HOUR },
        { name: "test" },
      );
      await monitor.setReference(
        "binned",
        "1",
        { kind: "fixed", from: DATA_START, to: DATA_START + 4 * HOUR },
        { name: "test" },
      );
      const reference = await monitor.getReference("shifty", "1");
      expect(reference).toMatchObject({ kind: "fixed", rows: 2000, createdBy: "test" });

      // Down until hour 8: windows 0…7 are due at once (missed while down).
      clock.now = DATA_START + 8 * HOUR + 60_000;
      const first = await monitor.tick();
      const shifty = first.filter((summary) => summary.model === "shifty");
      expect(shifty.map((summary) => (summary.windowStart - DATA_START) / HOUR)).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7,
      ]);
      for (const summary of shifty) {
        const hour = (summary.windowStart - DATA_START) / HOUR;
        expect(summary.drifted, `window ${hour}`).toBe(hour >= 7);
      }
      expect((await monitor.status("shifty")).state).toBe("drifting");

      // Nothing new: nothing evaluated again. Two more windows later: exactly those two.
      expect((await monitor.tick()).filter((s) => s.model === "shifty")).toEqual([]);
      clock.now = DATA_START + 10 * HOUR + 60_000;
      const later = (await monitor.tick()).filter((s) => s.model === "shifty");
      expect(later.map((s) => [(s.windowStart - DATA_START) / HOUR, s.drifted])).toEqual([
        [8, true],
        [9, true],
      ]);

      const rows = await driftResults(engine, database, "shifty");
      const xDecision = rows.filter(
        (row) => row.feature === "x" && row.metric === "wasserstein_normed",
      );
      expect(xDecision.map((row) => [(row.ws - DATA_START) / HOUR, row.drifted])).toEqual(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((hour) => [hour, hour >= 7 ? 1 : 0]),
      );
      const status = await monitor.status("shifty");
      expect(status.state).toBe("drifting");
      expect(status.reasons.join("\n")).toMatch(/^x: wasserstein_normed/m);

      // Prometheus: the latest window's figures under the names the dashboards use.
      const exposition = await registry.metrics();
      const latestX = xDecision.at(-1)!.value;
      const sample = (name: string) =>
        Number(new RegExp(`^${name} (\\S+)$`, "m").exec(exposition)?.[1]);
      expect(
        sample(
          'driftwatch_drift_score\\{model="shifty",feature="x",metric="wasserstein_normed"\\}',
        ),
      ).toBeCloseTo(latestX, 9);
      expect(sample('driftwatch_feature_drifted\\{model="shifty",feature="x"\\}')).toBe(1);
      expect(sample('driftwatch_feature_drifted\\{model="shifty",feature="y"\\}')).toBe(0);
      expect(sample('driftwatch_window_rows\\{model="shifty"\\}')).toBe(400);
      expect(sample('driftwatch_drift_share\\{model="shifty"\\}')).toBeGreaterThanOrEqual(0.5);
      expect(sample('driftwatch_last_evaluation_timestamp_seconds\\{model="shifty"\\}')).toBe(
        clock.now / 1000,
      );
      expect(exposition).toMatch(
        /^driftwatch_evaluation_duration_seconds_count\{model="shifty"\} 10$/m,
      );
      await monitor.stop();
    });

    it("reports exactly the detectors' figures on the same rows, duplicates changing nothing", async () => {
      const window = { from: DATA_START + 7 * HOUR, to: DATA_START + 8 * HOUR };
      const values = async (from: number, to: number) => {
        const rows = await engine.query<{ v: number }>(sql`SELECT num_values[1] AS v
  FROM ${tableRef(database, "predictions")}
  WHERE model = 'shifty' AND ts >= toDateTime(${from / 1000}) AND ts < toDateTime(${to / 1000})`);
        return Float64Array.from(rows, (row) => row.v);
      };
      const expected = compareNumeric(
        await values(DATA_START, DATA_START + 4 * HOUR),
        await values(window.from, window.to),
      );
      // Resend every event of the window (same event ids, new offsets).
      await engine.command(sql`INSERT INTO ${tableRef(database, "predictions")}
  SELECT model, model_version, event_id, ts, ts_ms, num_names, num_values, cat_names, cat_values,
    missing_names, prediction, prediction_value, label, label_value, kafka_topic, kafka_partition,
    kafka_offset + 1000000, ingested_at
  FROM ${tableRef(database, "predictions")} WHERE model = 'shifty'
    AND ts >= toDateTime(${window.from / 1000}) AND ts < toDateTime(${window.to / 1000})`);
      const monitor = monitorFor(config, engine, clock);
      const [summary] = await monitor.evaluate("shifty", { name: "test" }, window);
      expect(summary!.rows).toBe(400);
      const rows = (await driftResults(engine, database, "shifty")).filter(
        (row) => row.ws === window.from && row.feature === "x",
      );
      const figure = (metric: string) => rows.find((row) => row.metric === metric)!.value;
      expect(figure("psi")).toBeCloseTo(expected.psi, 12);
      expect(figure("js")).toBeCloseTo(expected.js, 12);
      expect(figure("ks_statistic")).toBeCloseTo(expected.ks.statistic, 12);
      expect(figure("ks_p_value") / expected.ks.p_value).toBeCloseTo(1, 6);
      expect(figure("wasserstein")).toBeCloseTo(expected.wasserstein, 12);
      expect(figure("wasserstein_normed")).toBeCloseTo(expected.wasserstein_normed, 12);
    });

    it("takes the binned path beyond exactRowLimit with the exact PSI and JS", async () => {
      const monitor = monitorFor(config, engine, clock);
      const window = { from: DATA_START + 4 * HOUR, to: DATA_START + 5 * HOUR };
      await monitor.evaluate("binned", { name: "test" }, window);
      await monitor.evaluate("shifty", { name: "test" }, window);
      const pick = async (model: string) =>
        (await driftResults(engine, database, model)).filter(
          (row) => row.ws === window.from && row.feature === "x",
        );
      const binned = await pick("binned");
      const exact = await pick("shifty");
      const value = (rows: typeof binned, metric: string) =>
        rows.find((row) => row.metric === metric)!.value;
      // Same seeds → same rows in both models.
      expect(value(binned, "psi")).toBeCloseTo(value(exact, "psi"), 12);
      expect(value(binned, "js")).toBeCloseTo(value(exact, "js"), 12);
      expect(
        Math.abs(value(binned, "ks_statistic") - value(exact, "ks_statistic")),
      ).toBeLessThanOrEqual(0.02);
      expect(
        Math.abs(value(binned, "wasserstein_normed") - value(exact, "wasserstein_normed")),
      ).toBeLessThan(0.02);
    });

    it("a restarted service evaluates the windows it missed while down, none twice", async () => {
      const restartClock = { now: DATA_START + 5 * HOUR + 60_000 };
      const restartConfig = configFor(database, RESTARTED);
      const before = monitorFor(restartConfig, engine, restartClock);
      await before.setReference("restarted", "1", { kind: "rolling", days: 1 }, { name: "test" });
      const evaluated = async () =>
        (await before.tick())
          .filter((s) => s.model === "restarted")
          .map((s) => (s.windowStart - DATA_START) / HOUR);
      // Window 0 has no reference rows (rolling: the day before it is empty): skipped, once.
      expect(await evaluated()).toEqual([0, 1, 2, 3, 4]);
      expect(await evaluated()).toEqual([]);
      await before.stop();

      // Down for three windows (5, 6, 7); a new instance starts.
      restartClock.now = DATA_START + 8 * HOUR + 60_000;
      const after = monitorFor(restartConfig, engine, restartClock);
      const resumed = await after.tick();
      expect(
        resumed
          .filter((s) => s.model === "restarted")
          .map((s) => (s.windowStart - DATA_START) / HOUR),
      ).toEqual([5, 6, 7]);
      expect((await after.tick()).filter((s) => s.model === "restarted")).toEqual([]);
      const perWindow = await engine.query<{ ws: number; n: number }>(
        sql`SELECT toUInt32(window_start) AS ws, count() AS n
  FROM ${tableRef(database, "evaluated_windows")}
  WHERE model = 'restarted' GROUP BY ws ORDER BY ws`,
      );
      expect(
        perWindow.map((row) => [(Number(row.ws) * 1000 - DATA_START) / HOUR, Number(row.n)]),
      ).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((hour) => [hour, 1]));
      await after.stop();
    });
  });
}
