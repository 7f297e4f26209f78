// Properties and edge cases: isotonic fits are non-decreasing and within the range of y,
// estimates and bands stay in [0, 1], degenerate references (one class, constant scores) give
// defined or null metrics instead of NaN, and bad input is rejected naming the field.

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  ESTIMATED_METRICS,
  PerformanceInputError,
  argsortAscending,
  expectedAuc,
  fitEstimator,
  fitIsotonic,
  predictIsotonic,
} from "../../../../../detectors/performance/estimation/index.js";

const unit = fc.double({ min: 0, max: 1, noNaN: true });

describe("isotonic regression", () => {
  it("is non-decreasing, within [min y, max y], and clips outside the fitted x range", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), unit), { minLength: 1, maxLength: 60 }),
        fc.array(fc.double({ min: -1, max: 2, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (points, queries) => {
          const x = Float64Array.from(points, ([v]) => v / 20);
          const y = Float64Array.from(points, ([, v]) => v);
          const fit = fitIsotonic(x, y);
          const sortedQueries = Float64Array.from(queries).sort();
          const predicted = predictIsotonic(fit, sortedQueries);
          for (let i = 1; i < predicted.length; i += 1)
            expect(predicted[i]!).toBeGreaterThanOrEqual(predicted[i - 1]! - 1e-12);
          const low = Math.min(...y);
          const high = Math.max(...y);
          for (const value of predicted) {
            expect(value).toBeGreaterThanOrEqual(low - 1e-12);
            expect(value).toBeLessThanOrEqual(high + 1e-12);
          }
          expect(predictIsotonic(fit, [-5])[0]).toBe(predictIsotonic(fit, [fit.x[0]!])[0]);
        },
      ),
    );
  });

  it("keeps the weighted mean of y (PAV pools, it never loses mass)", () => {
    // x on a grid of 1e-3: like scikit-learn, x values within 1e-15 of each other are merged
    // into one point, and a row between two kept points is then interpolated, not pooled.
    const gridX = fc.integer({ min: 0, max: 1000 }).map((step) => step / 1000);
    fc.assert(
      fc.property(fc.array(fc.tuple(gridX, unit), { minLength: 2, maxLength: 50 }), (points) => {
        const x = Float64Array.from(points, ([v]) => v);
        const y = Float64Array.from(points, ([, v]) => v);
        const fitted = predictIsotonic(fitIsotonic(x, y), x);
        const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);
        expect(Math.abs(sum(fitted) - sum(y))).toBeLessThan(1e-9);
      }),
    );
  });
});

describe("expected ROC AUC", () => {
  it("equals the brute-force expectation over every labelling (ratio of expected pair counts)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), unit), { minLength: 2, maxLength: 7 }),
        (rows) => {
          const scores = Float64Array.from(rows, ([s]) => s);
          const p = Float64Array.from(rows, ([, v]) => v);
          let ordered = 0;
          let pairs = 0;
          for (let mask = 0; mask < 1 << rows.length; mask += 1) {
            let chance = 1;
            for (let i = 0; i < rows.length; i += 1) chance *= mask & (1 << i) ? p[i]! : 1 - p[i]!;
            for (let i = 0; i < rows.length; i += 1) {
              for (let j = 0; j < rows.length; j += 1) {
                if (!(mask & (1 << i)) || mask & (1 << j)) continue;
                pairs += chance;
                ordered +=
                  chance * (scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0);
              }
            }
          }
          const { value } = expectedAuc(p, scores, argsortAscending(scores));
          if (pairs < 1e-12) return;
          expect(Math.abs(value! - ordered / pairs)).toBeLessThan(1e-9);
        },
      ),
    );
  });
});

describe("estimates", () => {
  it("stay within [0, 1] with ordered bands for any scores and decisions", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(unit, fc.boolean()), { minLength: 30, maxLength: 120 }),
        fc.array(unit, { minLength: 1, maxLength: 40 }),
        (referenceRows, chunk) => {
          const estimator = fitEstimator({
            task: "binary",
            scores: referenceRows.map(([s]) => s),
            labels: referenceRows.map(([, y]) => (y ? 1 : 0)),
          });
          const result = estimator.estimate({ scores: chunk });
          for (const metric of ESTIMATED_METRICS) {
            const { value, lower, upper } = result.estimated[metric];
            if (value === null) continue;
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1 + 1e-12);
            expect(lower!).toBeLessThanOrEqual(value + 1e-12);
            expect(upper!).toBeGreaterThanOrEqual(value - 1e-12);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("handles a single-class reference: identity calibration, undefined ROC AUC thresholds", () => {
    const estimator = fitEstimator({
      task: "binary",
      scores: [0.2, 0.4, 0.6, 0.8, 0.3, 0.1],
      labels: [1, 1, 1, 1, 1, 1],
    });
    expect(estimator.calibrator.kind).toBe("identity");
    const result = estimator.estimate({ scores: [0.9, 0.1], labels: [1, 1] });
    expect(result.realized!.roc_auc.value).toBeNull();
    expect(result.estimated.roc_auc.value).not.toBeNaN();
    expect(result.estimated.roc_auc.threshold_lower).toBeNull();
    expect(result.estimated.roc_auc.alert).toBe(false);
  });

  it("handles constant scores: calibrated to the positive rate, AUC one half, precision undefined", () => {
    const scores = new Array<number>(200).fill(0.3);
    const labels = scores.map((_, i) => (i % 3 === 0 ? 1 : 0));
    const estimator = fitEstimator({ task: "binary", scores, labels }, { chunkSize: 50 });
    const result = estimator.estimate({ scores: scores.slice(0, 50), labels: labels.slice(0, 50) });
    expect(result.estimated.roc_auc.value).toBeCloseTo(0.5, 12);
    expect(result.estimated.precision.value).toBeNull();
    // 0.3 for a third of positives: isotonic maps it to 67/200 on every held-out fold.
    expect(estimator.calibrator.kind).toBe("isotonic");
    expect(result.estimated.accuracy.value).toBeCloseTo(1 - 67 / 200, 12);
    expect(estimator.spread(50).basis).toBe("same_size");
    expect(estimator.spread(150).basis).toBe("scaled");
  });
});

describe("input errors name the field", () => {
  const reference = { task: "binary" as const, scores: [0.1, 0.9, 0.4, 0.6], labels: [0, 1, 0, 1] };
  const fieldOf = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(PerformanceInputError);
      return (error as PerformanceInputError).field;
    }
    throw new Error("no error thrown");
  };

  it("rejects NaN and out-of-range scores", () => {
    expect(fieldOf(() => fitEstimator({ ...reference, scores: [0.1, Number.NaN, 0.4, 0.6] }))).toBe(
      "reference.scores[1]",
    );
    const estimator = fitEstimator(reference);
    expect(fieldOf(() => estimator.estimate({ scores: [0.5, 1.5] }))).toBe("current.scores[1]");
    expect(() => estimator.estimate({ scores: [Number.NaN] })).toThrow(
      /current\.scores\[0\]: must be a probability .* got NaN/,
    );
  });

  it("rejects missing or mismatched labels and empty chunks", () => {
    expect(fieldOf(() => fitEstimator({ task: "binary", scores: [0.5] }))).toBe("reference.labels");
    expect(fieldOf(() => fitEstimator({ ...reference, labels: [0, 1] }))).toBe("reference.labels");
    expect(fieldOf(() => fitEstimator({ ...reference, labels: [0, 1, 2, 1] }))).toBe(
      "reference.labels",
    );
    expect(fieldOf(() => fitEstimator(reference).estimate({ scores: [] }))).toBe("current.scores");
    expect(fieldOf(() => fitEstimator(reference, { calibrationFolds: 1 }))).toBe(
      "options.calibrationFolds",
    );
  });

  it("rejects multiclass labels outside the classes and a wrong number of score columns", () => {
    const multiclass = {
      task: "multiclass" as const,
      classes: ["a", "b", "c"],
      scoreColumns: [
        [0.7, 0.1, 0.2],
        [0.2, 0.8, 0.2],
        [0.1, 0.1, 0.6],
      ],
      labels: ["a", "b", "d"],
    };
    expect(fieldOf(() => fitEstimator(multiclass))).toBe("reference.labels[2]");
    const estimator = fitEstimator({ ...multiclass, labels: ["a", "b", "c"] });
    expect(fieldOf(() => estimator.estimate({ scoreColumns: [[0.5], [0.5]] }))).toBe(
      "current.scoreColumns",
    );
  });
});
