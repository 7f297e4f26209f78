// The binned path's stored hourly aggregates (migration 10's materialized views) against scanning
// the window's rows, on both engines: every numeric feature within the straddling cells' bound
// (exact where values sit on few points), features too concentrated for the grid left to the
// scan, category counts exact; the aggregates used only when the views counted exactly the
// events stored (not after a resend slipped in, even once merged away; not for part-hour
// windows); the drift verdicts the same either way; and reference summaries kept for a new
// process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateWindowDrift } from "../../../src/monitor/drift-evaluation.js";
import { ReferenceProfiles } from "../../../src/monitor/reference-profile.js";
import { predictionsSource } from "../../../src/monitor/row-source.js";
import { numericHistograms } from "../../../src/monitor/server-histograms.js";
import { MAX_STRADDLE_SHARE, readStoredWindow } from "../../../src/monitor/stored-window.js";
import { categoryCounts, settleSource } from "../../../src/monitor/window-data.js";
import { dropDatabase, sql, tableRef, type SqlEngine } from "../../../src/store/index.js";
import { DATA_START, HOUR } from "../../support/clock.js";
import { configFor, histogramRequests, insertEvents, migrate } from "../../support/monitor.js";
import { ENGINES, uniqueDatabase } from "../../support/stack.js";

const ROWS = 20_000;
const WINDOW = { from: DATA_START + HOUR, to: DATA_START + 2 * HOUR };

for (const engineUnderTest of ENGINES) {
  describe(`stored hourly aggregates on ${engineUnderTest.name}`, () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("monitor_stored");
    const predictions = () => tableRef(database, "predictions");

    /** Model `to` gets model `from`'s rows with features x, t = round(x, 1), far = 1000 + x/1000. */
    async function reshape(from: string, to: string): Promise<void> {
      await engine.command(sql`INSERT INTO ${predictions()}
  SELECT ${to}, model_version, event_id, ts, ts_ms, ['x', 't', 'far'],
    [num_values[1], round(num_values[1], 1), 1000 + num_values[1] / 1000],
    cat_names, cat_values, missing_names, prediction, prediction_value, label, label_value,
    kafka_topic, kafka_partition, kafka_offset, ingested_at
  FROM ${predictions()} WHERE model = ${from}`);
    }

    beforeAll(async () => {
      engine = await engineUnderTest.open();
      await migrate(engine, database);
      // Reference hour, then the window hour shifted by 0.3.
      await insertEvents(engine, database, {
        model: "raw",
        from: DATA_START,
        to: DATA_START + HOUR,
        rows: ROWS,
        seed: 3,
      });
      await insertEvents(engine, database, {
        model: "raw",
        ...WINDOW,
        rows: ROWS,
        seed: 4,
        shift: 0.3,
      });
      await reshape("raw", "m");
    });

    afterAll(async () => {
      await dropDatabase(engine, database);
      await engine.close();
    });

    it("gives the scan's counts within the straddling cells, exact on ties, coarse features scanned", async () => {
      const settled = await settleSource(
        engine,
        predictionsSource(database, "m", "1", WINDOW.from, WINDOW.to),
      );
      expect(settled.census?.rows).toBe(ROWS);
      const stored = await readStoredWindow(engine, settled.source.window!)!.verify(
        settled.census!,
      );
      expect(stored).toBeDefined();
      expect(stored!.labelledRows).toBe(0);
      const requests = await histogramRequests(
        engine,
        predictionsSource(database, "m", "1", DATA_START, DATA_START + HOUR),
        ["x", "t", "far", "_prediction"],
      );
      const { histograms, scan } = await stored!.histograms(requests);
      const scanned = await numericHistograms(engine, settled.source, requests);
      // far = 1000 ± 0.003: a cell there is 4 wide, so all its values share one or two cells.
      expect(scan).toEqual(["far"]);
      expect([...histograms.keys()].sort()).toEqual(["_prediction", "t", "x"]);
      for (const [feature, histogram] of histograms) {
        const exact = scanned.get(feature)!;
        expect(histogram.n).toBe(ROWS);
        expect(histogram.min).toBe(exact.min);
        expect(histogram.max).toBe(exact.max);
        expect(histogram.counts.reduce((a, b) => a + b, 0)).toBe(ROWS);
        const bound = 2 * MAX_STRADDLE_SHARE * ROWS;
        exact.counts.forEach((count, bin) => {
          expect(Math.abs(histogram.counts[bin]! - count)).toBeLessThanOrEqual(bound);
        });
        expect(Math.abs(histogram.outsideRange - exact.outsideRange)).toBeLessThanOrEqual(bound);
      }
      // t takes 0.1 steps: each of its cells holds one value, so its counts are exact.
      expect(Array.from(histograms.get("t")!.counts)).toEqual(Array.from(scanned.get("t")!.counts));
      expect(await stored!.categories()).toEqual(await categoryCounts(engine, settled.source));
    });

    it("uses the aggregates only for whole hours whose events the views counted exactly once", async () => {
      const window = predictionsSource(database, "m", "1", WINDOW.from, WINDOW.to).window!;
      expect(readStoredWindow(engine, { ...window, from: WINDOW.from + 60_000 })).toBeUndefined();

      await reshape("raw", "resent");
      const source = () => predictionsSource(database, "resent", "1", WINDOW.from, WINDOW.to);
      const clean = await settleSource(engine, source());
      expect(
        await readStoredWindow(engine, clean.source.window!)!.verify(clean.census!),
      ).toBeDefined();
      // Ten events stored again (a resend past the ingester's dedup window).
      await engine.command(sql`INSERT INTO ${predictions()}
  SELECT * FROM ${predictions()} WHERE model = 'resent' AND ts >= toDateTime(${WINDOW.from / 1000})
    AND kafka_offset < 10`);
      expect((await settleSource(engine, source())).census).toBeUndefined();
      // Merged away in the table, but counted twice by the views: the census tells them apart.
      await engine.command(sql`OPTIMIZE TABLE ${predictions()} FINAL`);
      const merged = await settleSource(engine, source());
      expect(merged.census?.rows).toBe(ROWS);
      expect(
        await readStoredWindow(engine, merged.source.window!)!.verify(merged.census!),
      ).toBeUndefined();
    });

    it("reaches the scan's verdicts, and a new process reads the reference's summary", async () => {
      const [model] = Object.values(
        configFor(database, "  - name: m\n    interval: 1h\n    exactRowLimit: 1000\n").models,
      );
      const referenceSource = predictionsSource(database, "m", "1", DATA_START, DATA_START + HOUR);
      const options = { categoricalNumbers: [], maxRows: 1_000_000, values: false, lasting: true };
      const first = await new ReferenceProfiles(engine, database).load(
        "k",
        referenceSource,
        HOUR,
        options,
      );
      expect(first.withValues).toBe(true); // computed from the rows, its summary stored
      const again = await new ReferenceProfiles(engine, database).load(
        "k",
        referenceSource,
        HOUR,
        options,
      );
      expect(again.withValues).toBe(false); // read from the stored summary
      for (const [feature, summary] of first.numeric) {
        const read = again.numeric.get(feature)!;
        expect(Array.from(read.fineEdges)).toEqual(Array.from(summary.fineEdges));
        expect(Array.from(read.fineCounts)).toEqual(Array.from(summary.fineCounts));
        expect([read.n, read.std, read.min, read.max]).toEqual([
          summary.n,
          summary.std,
          summary.min,
          summary.max,
        ]);
      }
      expect(again.categorical).toEqual(first.categorical);

      const settled = await settleSource(
        engine,
        predictionsSource(database, "m", "1", WINDOW.from, WINDOW.to),
      );
      const stored = await readStoredWindow(engine, settled.source.window!)!.verify(
        settled.census!,
      );
      const viaCells = await evaluateWindowDrift(
        engine,
        model!,
        again,
        settled.source,
        ROWS,
        stored,
      );
      const viaScan = await evaluateWindowDrift(engine, model!, again, settled.source, ROWS);
      expect(viaCells.storedFeatures).toBe(3); // x, t, _prediction; far scanned
      expect(viaScan.storedFeatures).toBe(0);
      expect(viaCells.drifted).toBe(viaScan.drifted);
      expect(viaCells.driftShare).toBe(viaScan.driftShare);
      const byKey = (outcome: typeof viaScan) =>
        new Map(
          outcome.results.map((row) => [
            `${"feature" in row ? row.feature : ""}/${row.metric}`,
            { value: row.value, drifted: "drifted" in row ? row.drifted : undefined },
          ]),
        );
      const scanRows = byKey(viaScan);
      for (const [key, row] of byKey(viaCells)) {
        const exact = scanRows.get(key)!;
        expect(row.drifted, key).toBe(exact.drifted);
        if (/psi|js|wasserstein|share|ks_statistic/.test(key)) {
          expect(Math.abs(row.value - exact.value), key).toBeLessThan(
            0.01 * Math.max(1, exact.value),
          );
        }
      }
    });
    it("takes the scan when a view no longer counts (dropped for cheaper inserts)", async () => {
      await engine.command(sql`DROP TABLE ${tableRef(database, "window_histograms_predictions")}`);
      await reshape("raw", "unviewed");
      const settled = await settleSource(
        engine,
        predictionsSource(database, "unviewed", "1", WINDOW.from, WINDOW.to),
      );
      // The census view still counts the rows, but the numbers it counted are not in the cells.
      expect(settled.census?.rows).toBe(ROWS);
      expect(
        await readStoredWindow(engine, settled.source.window!)!.verify(settled.census!),
      ).toBeUndefined();
      // A table gone altogether: the same.
      await engine.command(sql`DROP TABLE ${tableRef(database, "category_counts")}`);
      const m = await settleSource(
        engine,
        predictionsSource(database, "m", "1", WINDOW.from, WINDOW.to),
      );
      expect(await readStoredWindow(engine, m.source.window!)!.verify(m.census!)).toBeUndefined();
    });
  });
}
