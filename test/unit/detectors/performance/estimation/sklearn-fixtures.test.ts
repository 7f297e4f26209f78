// Isotonic regression, realized metrics and ECE against scikit-learn/numpy (fixtures written by
// scripts/fixtures/estimation.py): predictions and metric values to 1e-12 absolute.

import { describe, expect, it } from "vitest";

import {
  binaryMetrics,
  expectedCalibrationError,
  fitIsotonic,
  multiclassMetrics,
  predictIsotonic,
  argsortAscending,
} from "../../../../../detectors/performance/estimation/index.js";
import { loadEstimationFixture, METRICS } from "./fixtures.js";

interface IsotonicCase {
  name: string;
  x: number[];
  y: number[];
  weights: number[] | null;
  query: number[];
  predicted: number[];
  fitted: number[];
}

interface BinaryMetricCase {
  name: string;
  scores: number[];
  labels: number[];
  predictions: number[];
  accuracy: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  roc_auc: number;
  ece: number;
}

interface MulticlassMetricCase {
  name: string;
  classes: number;
  scores: number[][];
  labels: number[];
  predictions: number[];
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  roc_auc: number;
}

const fixture = loadEstimationFixture<{
  isotonic: IsotonicCase[];
  metrics: { binary: BinaryMetricCase[]; multiclass: MulticlassMetricCase[] };
}>("sklearn.json");

function expectAllClose(
  actual: ArrayLike<number>,
  expected: readonly number[],
  what: string,
): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i += 1) {
    expect(
      Math.abs(actual[i]! - expected[i]!),
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    ).toBeLessThanOrEqual(1e-12);
  }
}

function expectMetric(actual: number | null, expected: number | null, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-12,
  );
}

describe("isotonic regression equals scikit-learn's IsotonicRegression(out_of_bounds='clip')", () => {
  it.each(fixture.isotonic.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const x = Float64Array.from(c.x);
    const fit = fitIsotonic(
      x,
      Float64Array.from(c.y),
      c.weights === null ? undefined : Float64Array.from(c.weights),
    );
    expectAllClose(predictIsotonic(fit, c.query), c.predicted, "query");
    expectAllClose(predictIsotonic(fit, x), c.fitted, "fitted");
    for (let i = 1; i < fit.y.length; i += 1)
      expect(fit.y[i]!).toBeGreaterThanOrEqual(fit.y[i - 1]!);
  });
});

describe("realized binary metrics equal scikit-learn's", () => {
  it.each(fixture.metrics.binary.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const scores = Float64Array.from(c.scores);
    const { values, standardErrors } = binaryMetrics(
      {
        probabilities: Float64Array.from(c.labels),
        predictedPositive: Uint8Array.from(c.predictions),
        rankScores: scores,
        order: argsortAscending(scores),
      },
      true,
    );
    for (const metric of METRICS) expectMetric(values[metric], c[metric], metric);
    // Labels as probabilities carry no sampling error.
    for (const metric of METRICS)
      if (standardErrors[metric] !== null) expect(standardErrors[metric]).toBe(0);
    expect(Math.abs(expectedCalibrationError(scores, c.labels) - c.ece)).toBeLessThanOrEqual(1e-12);
  });
});

describe("realized multiclass metrics equal scikit-learn's (macro, one-vs-rest AUC)", () => {
  it.each(fixture.metrics.multiclass.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const columns = Array.from({ length: c.classes }, (_, k) =>
      Float64Array.from(c.scores, (row) => row[k]!),
    );
    const oneHot = Array.from({ length: c.classes }, (_, k) =>
      Float64Array.from(c.labels, (label) => (label === k ? 1 : 0)),
    );
    const { values } = multiclassMetrics(
      {
        probabilities: oneHot,
        predictedClass: Int32Array.from(c.predictions),
        rankScores: columns,
        orders: columns.map((column) => argsortAscending(column)),
      },
      false,
    );
    for (const metric of METRICS) expectMetric(values[metric], c[metric], metric);
  });
});
