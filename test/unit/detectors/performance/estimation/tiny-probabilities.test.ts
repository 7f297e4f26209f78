// Probabilities so small that the error formulas' denominators underflow (found by the property
// test of properties.test.ts): every estimate keeps a band, none is NaN.
import { describe, expect, it } from "vitest";
import { fitEstimator } from "../../../../../detectors/performance/estimation/index.js";

describe("estimates of subnormal probabilities", () => {
  const rows: [number, 0 | 1][] = [
    ...Array.from({ length: 24 }, (): [number, 0 | 1] => [0, 0]),
    [0.0007710034421148877, 1],
    [0, 1],
    [0, 1],
    [0.0001822371772271553, 1],
    [0, 0],
    [0, 0],
  ];
  const estimator = fitEstimator({
    task: "binary",
    scores: rows.map(([score]) => score),
    labels: rows.map(([, label]) => label),
  });

  for (const score of [5e-324, 1e-310, 1e-200]) {
    it(`keeps every band finite for a chunk scored ${score}`, () => {
      const { estimated } = estimator.estimate({ scores: [score] });
      for (const [metric, figure] of Object.entries(estimated)) {
        if (figure.value === null) continue;
        expect(Number.isNaN(figure.value), metric).toBe(false);
        expect(figure.lower, metric).not.toBeNull();
        expect(figure.lower!, metric).toBeLessThanOrEqual(figure.value);
        expect(figure.upper!, metric).toBeGreaterThanOrEqual(figure.value);
      }
    });
  }
});
