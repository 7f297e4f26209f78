// What users of the performance comparison rely on beyond the fixture figures: undefined
// metrics come back as null with a reason, the threshold includes its boundary, typed arrays
// work, direction and minimumDelta shape the degraded verdict, and the result is plain JSON.
// Imported through detectors/index.ts, the library's public surface.

import { describe, expect, it } from "vitest";

import { comparePerformance, computeWindowMetrics } from "../../../../detectors/index.js";
import type { MetricComparison, PerformanceComparison } from "../../../../detectors/index.js";

function metricOf(result: PerformanceComparison, name: string): MetricComparison {
  const found = result.metrics.find((metric) => metric.metric === name);
  if (found === undefined) throw new Error(`no metric ${name}`);
  return found;
}

/** A window of n rows where the first `correct` predictions are right. */
function binaryWindow(n: number, correct: number): { y_true: number[]; y_pred: number[] } {
  const yTrue = Array.from({ length: n }, (_, i) => i % 2);
  const yPred = yTrue.map((label, i) => (i < correct ? label : 1 - label));
  return { y_true: yTrue, y_pred: yPred };
}

describe("not computable metrics", () => {
  it("explains a single-class window instead of returning NaN", () => {
    const result = comparePerformance(
      "binary",
      { y_true: [0, 0, 0], scores: [0.1, 0.8, 0.3] },
      { y_true: [0, 1, 1, 0], scores: [0.2, 0.9, 0.6, 0.4] },
    );
    const auc = metricOf(result, "roc_auc");
    expect(auc.value).toBeNull();
    expect(auc.reference_value).toBe(1);
    expect(auc.p_value).toBeNull();
    expect(auc.degraded).toBe(false);
    expect(auc.reason).toBe("current: y_true holds a single class: ROC AUC is undefined");
    expect(metricOf(result, "recall").reason).toMatch(
      /^current: no rows labelled as the positive class/,
    );
  });

  it("explains empty windows, missing scores and scores that are not probabilities", () => {
    const empty = comparePerformance(
      "regression",
      { y_true: [], y_pred: [] },
      { y_true: [1, 2], y_pred: [1, 3] },
    );
    expect(empty.n).toBe(0);
    for (const metric of empty.metrics) expect(metric.reason).toBe("current: no labelled rows");

    const labelsOnly = comparePerformance(
      "binary",
      { y_true: [0, 1], y_pred: [0, 1] },
      { y_true: [1, 0], y_pred: [1, 1] },
    );
    expect(metricOf(labelsOnly, "log_loss").reason).toBe(
      "current: no scores given; reference: no scores given",
    );

    const logits = computeWindowMetrics(
      "binary",
      { y_true: [0, 1], scores: [-2.5, 3.1] },
      { threshold: 0 },
    );
    const logLoss = logits.metrics.find((metric) => metric.metric === "log_loss");
    expect(logLoss).toMatchObject({
      computable: false,
      reason: expect.stringMatching(/not probabilities .*-2\.5/),
    });
    expect(logits.metrics.find((metric) => metric.metric === "accuracy")).toMatchObject({
      value: 1,
    });
  });

  it("says which test could not run and why", () => {
    const result = comparePerformance(
      "regression",
      { y_true: [1], y_pred: [2] },
      { y_true: [1, 2], y_pred: [1, 4] },
    );
    const mae = metricOf(result, "mae");
    expect(mae.value).toBe(1);
    expect(mae.test).toBe("welch_t");
    expect(mae.p_value).toBeNull();
    expect(mae.reason).toMatch(/needs at least 2 rows in each window \(current 1, reference 2\)/);
  });
});

describe("predictions from scores", () => {
  it("counts a score equal to the threshold as positive (score ≥ threshold)", () => {
    const window = { y_true: [1, 0, 1, 0], scores: [0.3, 0.3 - 1e-12, 0.9, 0.1] };
    const metrics = computeWindowMetrics("binary", window, { threshold: 0.3 });
    expect(metrics.metrics.find((metric) => metric.metric === "accuracy")).toMatchObject({
      value: 1,
      n: 4,
    });
  });

  it("predicts the first of tied top classes in multiclass argmax", () => {
    const metrics = computeWindowMetrics(
      "multiclass",
      {
        y_true: ["b", "a"],
        scores: [
          [0.1, 0.45, 0.45],
          [0.5, 0.5, 0],
        ],
      },
      { classes: ["a", "b", "c"] },
    );
    expect(metrics.metrics.find((metric) => metric.metric === "accuracy")).toMatchObject({
      value: 1,
    });
  });

  it("accepts typed arrays", () => {
    const plain = computeWindowMetrics("binary", {
      y_true: [0, 1, 1, 0, 1],
      scores: [0.1, 0.6, 0.4, 0.4, 0.9],
    });
    const typed = computeWindowMetrics("binary", {
      y_true: Int32Array.from([0, 1, 1, 0, 1]),
      scores: Float64Array.from([0.1, 0.6, 0.4, 0.4, 0.9]),
    });
    expect(typed).toEqual(plain);
  });
});

describe("the degraded verdict", () => {
  it("flags a significant drop of accuracy but not a significant rise", () => {
    const worse = comparePerformance("binary", binaryWindow(400, 280), binaryWindow(400, 360));
    const accuracy = metricOf(worse, "accuracy");
    expect(accuracy).toMatchObject({ value: 0.7, reference_value: 0.9, degraded: true });
    expect(accuracy.delta).toBeCloseTo(-0.2, 15);
    expect(accuracy.higher_is_better).toBe(true);
    expect(worse.degraded).toBe(true);
    const better = comparePerformance("binary", binaryWindow(400, 360), binaryWindow(400, 280));
    expect(metricOf(better, "accuracy").p_value).toBeLessThan(1e-6);
    expect(metricOf(better, "accuracy").degraded).toBe(false);
  });

  it("flags MAE going up, not down", () => {
    const reference = {
      y_true: Array.from({ length: 200 }, (_, i) => i),
      y_pred: Array.from({ length: 200 }, (_, i) => i + (i % 3)),
    };
    const current = {
      y_true: reference.y_true,
      y_pred: reference.y_true.map((value, i) => value + 2 * (i % 3)),
    };
    expect(metricOf(comparePerformance("regression", current, reference), "mae")).toMatchObject({
      degraded: true,
      higher_is_better: false,
    });
    expect(metricOf(comparePerformance("regression", reference, current), "mae").degraded).toBe(
      false,
    );
  });

  it("ignores significant changes smaller than minimumDelta, and honours alpha", () => {
    const current = binaryWindow(20000, 17800);
    const reference = binaryWindow(20000, 18000);
    const plain = metricOf(comparePerformance("binary", current, reference), "accuracy");
    expect(plain.p_value).toBeLessThan(0.05);
    expect(plain.degraded).toBe(true);
    const tolerant = comparePerformance("binary", current, reference, {
      minimumDelta: { accuracy: 0.02 },
    });
    expect(metricOf(tolerant, "accuracy").degraded).toBe(false);
    const strict = comparePerformance("binary", current, reference, { alpha: 1e-12 });
    expect(metricOf(strict, "accuracy").degraded).toBe(false);
  });
});

describe("output", () => {
  it("is plain JSON: no NaN or Infinity anywhere, even for degenerate windows", () => {
    const perfect = { y_true: [1, 0, 1, 0], scores: [1, 0, 1, 0] };
    const worst = { y_true: [1, 0, 1, 0], scores: [0, 1, 0, 1] };
    for (const [current, reference] of [
      [perfect, perfect],
      [worst, perfect],
      [{ y_true: [], scores: [] }, perfect],
    ] as const) {
      const result = comparePerformance("binary", current, reference);
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    }
    const worse = comparePerformance("binary", worst, perfect);
    expect(metricOf(worse, "roc_auc")).toMatchObject({
      statistic: null,
      p_value: 0,
      degraded: true,
    });
    expect(metricOf(worse, "roc_auc").reason).toMatch(
      /standard error is 0 and the estimates differ/,
    );
  });
});
