// The result vocabulary's translations: each registry descriptor's result metrics are figures a
// comparison has; a verdict becomes drift results (deciding figure with the verdict, PSI judged
// at its report threshold, the rest without a threshold) and results become observations; one
// "lower is better" list serves detectors and alerts.
import { describe, expect, it } from "vitest";
import {
  PSI_REPORT_THRESHOLD,
  columnDriftResults,
  comparePerformance,
  driftFigures,
  driftReason,
  evaluateDrift,
  higherIsBetter,
  listDetectors,
  toObservations,
  type CategoricalDrift,
  type NumericDrift,
} from "../../../detectors/index.js";

const numeric: NumericDrift = {
  psi: 0.3,
  js: 0.05,
  ks: { statistic: 0.2, p_value: 0.01 },
  wasserstein: 2,
  wasserstein_normed: 0.04,
};
const categorical: CategoricalDrift = { psi: 0.1, js: 0.2, chi2: { statistic: 9, p_value: 0.2 } };

describe("result vocabulary", () => {
  it("each descriptor declares result metrics its columns' comparisons report", () => {
    for (const descriptor of listDetectors()) {
      expect(descriptor.resultMetrics).toContain(descriptor.decidingMetric);
      for (const kind of descriptor.columnKinds) {
        const figures = driftFigures(kind === "numeric" ? numeric : categorical).map(([m]) => m);
        for (const metric of descriptor.resultMetrics) expect(figures).toContain(metric);
      }
      const expected = descriptor.name === "psi" ? PSI_REPORT_THRESHOLD : null;
      expect(descriptor.reportThreshold).toBe(expected);
    }
  });

  it("turns a verdict into drift results: the deciding figure judged, PSI reported", () => {
    const verdict = evaluateDrift({ x: { kind: "numeric", nReference: 100, result: numeric } });
    const results = columnDriftResults("x", numeric, verdict.columns.x!);
    expect(results.map((result) => [result.metric, result.judgement])).toEqual([
      ["psi", { role: "report", threshold: 0.2, drifted: true }],
      ["js", null],
      ["ks_statistic", null],
      ["ks_p_value", { role: "deciding", threshold: 0.05, drifted: true }],
      ["wasserstein", null],
      ["wasserstein_normed", null],
    ]);
    expect(driftReason("x", verdict.columns.x!)).toBe("x: ks_p_value 0.010 < 0.05");
    const observations = toObservations(results);
    expect(observations[0]).toEqual({
      kind: "drift",
      metric: "psi",
      feature: "x",
      value: 0.3,
      threshold: 0.2,
      drifted: true,
    });
    expect(observations[1]).toEqual({ kind: "drift", metric: "js", feature: "x", value: 0.05 });
  });

  it("a PSI-decided column carries its override threshold on the psi figure", () => {
    const verdict = evaluateDrift(
      { c: { kind: "categorical", nReference: 5000, result: categorical } },
      { overrides: { c: { test: "psi", threshold: 0.05 } } },
    );
    const psi = columnDriftResults("c", categorical, verdict.columns.c!)[0]!;
    expect(psi.judgement).toEqual({ role: "deciding", threshold: 0.05, drifted: true });
    expect(driftReason("c", verdict.columns.c!)).toBe("c: psi 0.100 ≥ 0.05");
  });

  it("one direction list: detectors and alerts agree, mse is lower-is-better", () => {
    const comparison = comparePerformance(
      "regression",
      { y_true: [1, 2, 3, 4], y_pred: [1, 2, 3, 5] },
      { y_true: [1, 2, 3, 4], y_pred: [1, 2, 3, 4] },
    );
    for (const metric of comparison.metrics) {
      expect(metric.higher_is_better).toBe(higherIsBetter(metric.metric));
    }
    for (const metric of ["log_loss", "mae", "rmse", "mape", "mse"])
      expect(higherIsBetter(metric)).toBe(false);
    for (const metric of ["accuracy", "f1", "roc_auc", "precision_macro"])
      expect(higherIsBetter(metric)).toBe(true);
  });
});
