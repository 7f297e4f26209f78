// False alarms of the default drift rules on ClickHouse 18.16: 100 hourly windows drawn from the
// reference's own distribution, evaluated by the real monitor in one scheduler pass, for a model
// whose reference has ≤ 1000 rows (KS / chi-squared p < 0.05) and one whose reference is larger
// (normed Wasserstein / Jensen-Shannon ≥ 0.1). Each window is evaluated exactly once; at most 5 %
// of the windows are flagged as drifted, and the features' false-alarm rates stay within bounds
// derived below from the null distribution of the tests for these sample sizes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropDatabase, sql, tableRef, type SqlEngine } from "../../../src/store/index.js";
import { DATA_START, HOUR } from "../../support/clock.js";
import {
  configFor,
  CREDIT_FEATURES,
  insertCreditEvents,
  migrate,
  monitorFor,
} from "../../support/monitor.js";
import { serverEngine, uniqueDatabase } from "../../support/stack.js";

const WINDOWS = 100;
/** Windows are hours FIRST_WINDOW … FIRST_WINDOW + 99 after DATA_START; references lie before them. */
const FIRST_WINDOW = 12;
/** Every column the monitor compares (the numeric prediction as `_prediction`). */
const FEATURES = [...CREDIT_FEATURES.numeric, ...CREDIT_FEATURES.categorical, "_prediction"];

// BOUNDS — how the numbers below were found. The design was simulated 2000 times for the small
// model (and 150 times for the large one) with the detectors' own tests on fresh random samples:
// a reference of this size and these 8 columns (same distributions, 3 % missing incomes, tied
// ages, the prediction a function of the inputs), then 100 windows of these sizes, each judged
// by the default rule (evaluateDrift), counting dataset verdicts and per-column verdicts.
//
// Dataset: a window is flagged when ≥ 4 of its 8 columns drift. Under no drift each column of the
// small model drifts with probability ≈ 0.05, so four at once are rare even with the prediction
// tied to its inputs: simulated mean 0.07 flagged windows of 100, never more than 3. DESIGN's
// ≤ 5 % is asserted as it is.
const MAX_DRIFTED_WINDOWS = 5;
//
// Per feature: all 100 windows are compared with ONE reference sample, so a feature's verdicts
// are not independent. Given the reference, the feature drifts in each window with a probability
// π that depends on how far that sample happens to lie from the population: π averages 0.05 over
// reference samples, but is far below it for some and several times it for others. A feature's
// count of false alarms is thus much wider than Binomial(100, 0.05) (sd 2.2, 99.9th percentile
// 13): simulated sd 3.9, 99th percentile 20, 99.9th 30, the worst of the 8 features above 40 in
// 0.1 % of runs. A tight bound on one feature is not justified; one on the rate over all 800
// feature × window verdicts is (the features' references are separate samples): simulated mean
// 4.7 %, 99th percentile 9.3 %, above 10 % in 0.5 % of runs (Binomial(800, 0.05) alone: 99.9th
// percentile 7.5 %). So for the small model: pooled rate ≤ 10 % (p-values half what they should
// be, one-sided for two-sided, would average ≈ 10 %) and every single feature ≤ 40 % (a coarse
// guard against a test that flags most windows); a correct monitor fails either for ≈ 0.6 % of
// seeds, and these seeds are fixed.
//
// The large model's distance rules are not calibrated to 5 %: with windows of 1000–3000 rows
// against 6000 the normed Wasserstein distance of a quiet window is typically ≈ 0.03 and
// Jensen-Shannon ≈ 0.01–0.02; only the smallest windows of the heavy-tailed features come near
// 0.1. Simulated: 0.07 % of feature verdicts flagged (numeric features 0.04–0.15 %, categorical
// never), at most 2 of a feature's 100 windows, at most 0.4 % pooled. Bounds: pooled ≤ 2 %, every
// single feature ≤ 5 %.

interface Scenario {
  readonly model: string;
  /** Reference: `hours` hours ending at the first window, `rows` rows in each. */
  readonly reference: { readonly hours: number; readonly rows: number };
  /** Window rows: a daily cycle of mid ± amplitude. */
  readonly windows: { readonly mid: number; readonly amplitude: number };
  /** The deciding metric and threshold of numeric and categorical features (default rule). */
  readonly numericRule: readonly [string, number];
  readonly categoricalRule: readonly [string, number];
  /** False-alarm rate bounds: over all feature × window verdicts, and of each feature. */
  readonly maxPooledRate: number;
  readonly maxFeatureRate: number;
}

const SCENARIOS: readonly Scenario[] = [
  {
    // 1000 reference rows (≤ 1000: p-value tests), windows of 150…450 rows.
    model: "quiet-small",
    reference: { hours: 4, rows: 250 },
    windows: { mid: 300, amplitude: 150 },
    numericRule: ["ks_p_value", 0.05],
    categoricalRule: ["chi2_p_value", 0.05],
    maxPooledRate: 0.1,
    maxFeatureRate: 0.4,
  },
  {
    // 6000 reference rows (distance rules), windows of 1000…3000 rows.
    model: "quiet-large",
    reference: { hours: 12, rows: 500 },
    windows: { mid: 2000, amplitude: 1000 },
    numericRule: ["wasserstein_normed", 0.1],
    categoricalRule: ["js", 0.1],
    maxPooledRate: 0.02,
    maxFeatureRate: 0.05,
  },
];

interface ResultRow {
  w: number;
  feature: string;
  metric: string;
  copies: number;
  value: number;
  threshold: number;
  drifted: number;
}

describe("false alarms over 100 windows without drift (ClickHouse 18.16)", () => {
  let engine: SqlEngine;
  const database = uniqueDatabase("false_alarms");
  // No labels arrive in this stream: a label delay beyond the test keeps performance out of it.
  const config = configFor(
    database,
    SCENARIOS.map(
      (scenario) =>
        `  - name: ${scenario.model}\n    backfillWindows: ${WINDOWS}\n    labelDelay: 30d\n`,
    ).join(""),
  );
  const clock = { now: DATA_START };

  beforeAll(async () => {
    engine = serverEngine();
    await migrate(engine, database);
    for (const [index, scenario] of SCENARIOS.entries()) {
      await insertCreditEvents(engine, database, {
        model: scenario.model,
        from: DATA_START + (FIRST_WINDOW - scenario.reference.hours) * HOUR,
        hours: scenario.reference.hours,
        rowsPerHour: { mid: scenario.reference.rows },
        seed: 100 + index,
      });
      await insertCreditEvents(engine, database, {
        model: scenario.model,
        from: DATA_START + FIRST_WINDOW * HOUR,
        hours: WINDOWS,
        rowsPerHour: scenario.windows,
        seed: 200 + index,
      });
    }
  });

  afterAll(async () => {
    await dropDatabase(engine, database);
    await engine.close();
  });

  it("evaluates every window once and flags at most 5 % of them", async () => {
    const monitor = monitorFor(config, engine, clock);
    for (const scenario of SCENARIOS) {
      const reference = await monitor.setReference(
        scenario.model,
        "1",
        {
          kind: "fixed",
          from: DATA_START + (FIRST_WINDOW - scenario.reference.hours) * HOUR,
          to: DATA_START + FIRST_WINDOW * HOUR,
        },
        { name: "test" },
      );
      expect(reference.rows).toBe(scenario.reference.hours * scenario.reference.rows);
    }

    // One pass after the last window closed evaluates all 100 windows of each model.
    clock.now = DATA_START + (FIRST_WINDOW + WINDOWS) * HOUR + 60_000;
    const summaries = await monitor.tick();
    expect(await monitor.tick()).toEqual([]);
    await monitor.stop();

    const windowStarts = Array.from(
      { length: WINDOWS },
      (_, index) => DATA_START + (FIRST_WINDOW + index) * HOUR,
    );
    for (const scenario of SCENARIOS) {
      const mine = summaries.filter((summary) => summary.model === scenario.model);
      expect(mine.map((summary) => summary.windowStart)).toEqual(windowStarts);
      const inserted = await rowsPerWindow(scenario.model);
      expect(mine.map((summary) => summary.rows)).toEqual(
        windowStarts.map((start) => inserted.get(start)),
      );
      expect(mine.filter((summary) => summary.skippedReason !== undefined)).toEqual([]);

      // The window records: one per window, written once.
      const records = await engine.query<{ w: number; records: number; drifted: number }>(
        sql`SELECT toUInt32(window_start) * 1000 AS w, count() AS records,
    argMax(drifted, evaluated_at_ms) AS drifted
  FROM ${tableRef(database, "evaluated_windows")} WHERE model = ${scenario.model}
  GROUP BY w ORDER BY w`,
      );
      expect(records.map((record) => Number(record.w))).toEqual(windowStarts);
      expect(records.filter((record) => Number(record.records) !== 1)).toEqual([]);

      // drift_results: every (window, feature, metric) written once.
      const results = await engine.query<ResultRow>(
        sql`SELECT toUInt32(window_start) * 1000 AS w, feature, metric, count() AS copies,
    any(value) AS value, any(threshold) AS threshold, any(drifted) AS drifted
  FROM ${tableRef(database, "drift_results")} WHERE model = ${scenario.model}
  GROUP BY w, feature, metric`,
      );
      expect(results.filter((row) => Number(row.copies) !== 1)).toEqual([]);

      // Dataset verdicts (the _dataset drift_share rows) agree with the window records.
      const shares = results
        .filter((row) => row.feature === "_dataset" && row.metric === "drift_share")
        .sort((a, b) => Number(a.w) - Number(b.w));
      expect(shares.map((row) => Number(row.w))).toEqual(windowStarts);
      expect(shares.map((row) => Number(row.drifted))).toEqual(
        records.map((record) => Number(record.drifted)),
      );
      const driftedWindows = shares.filter((row) => Number(row.drifted) === 1).length;
      expect(driftedWindows, `${scenario.model}: windows flagged`).toBeLessThanOrEqual(
        MAX_DRIFTED_WINDOWS,
      );

      // Per feature: the deciding test of the default rule, in every window, and its alarms.
      let alarms = 0;
      for (const feature of FEATURES) {
        const [metric, threshold] =
          CREDIT_FEATURES.numeric.some((name) => name === feature) || feature === "_prediction"
            ? scenario.numericRule
            : scenario.categoricalRule;
        const decisions = results.filter(
          (row) => row.feature === feature && Number(row.threshold) !== 0 && row.metric !== "psi",
        );
        expect(
          decisions.map((row) => [row.metric, Number(row.threshold)]),
          `${scenario.model} ${feature}: deciding test`,
        ).toEqual(windowStarts.map(() => [metric, threshold]));
        const flagged = decisions.filter((row) => Number(row.drifted) === 1).length;
        expect(
          flagged / WINDOWS,
          `${scenario.model} ${feature}: false-alarm rate`,
        ).toBeLessThanOrEqual(scenario.maxFeatureRate);
        alarms += flagged;
      }
      expect(
        alarms / (FEATURES.length * WINDOWS),
        `${scenario.model}: false-alarm rate over all features`,
      ).toBeLessThanOrEqual(scenario.maxPooledRate);
    }
  });

  async function rowsPerWindow(model: string): Promise<Map<number, number>> {
    const rows = await engine.query<{ w: number; n: number }>(sql`SELECT
    intDiv(toUInt32(ts), 3600) * 3600 AS w, uniqExact(event_id) AS n
  FROM ${tableRef(database, "predictions")} WHERE model = ${model} GROUP BY w`);
    return new Map(rows.map((row) => [Number(row.w) * 1000, Number(row.n)]));
  }
});
