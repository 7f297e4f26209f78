// Generated cases with known probabilities: the estimates must track the realized values within
// their sampling error when the scores are exact probabilities and only the case mix shifts, the
// band must be as wide as the realized spread (|realized − estimate| / standard error averages
// √(2/π) ≈ 0.8 for a normal spread), and miscalibrated scores must be recalibrated.

import { describe, expect, it } from "vitest";

import type { BinaryEstimator } from "../../../../../detectors/performance/estimation/index.js";
import {
  fitEstimator,
  ESTIMATED_METRICS,
} from "../../../../../detectors/performance/estimation/index.js";
import type { GeneratedRows } from "./generated-data.js";
import { generateRows, mulberry32, normal } from "./generated-data.js";

const CHUNK = 5000;

function trackingFigures(estimator: BinaryEstimator, chunks: GeneratedRows[]) {
  const figures = Object.fromEntries(
    ESTIMATED_METRICS.map((metric) => [metric, { inside: 0, meanAbsoluteError: 0, meanZ: 0 }]),
  );
  for (const chunk of chunks) {
    const result = estimator.estimate({ scores: chunk.scores, labels: Array.from(chunk.labels) });
    for (const metric of ESTIMATED_METRICS) {
      const { value, lower, upper } = result.estimated[metric];
      const realized = result.realized![metric].value!;
      const standardError = (upper! - lower!) / 6;
      const figure = figures[metric]!;
      if (realized >= lower! && realized <= upper!) figure.inside += 1;
      figure.meanAbsoluteError += Math.abs(realized - value!) / chunks.length;
      figure.meanZ += Math.abs(realized - value!) / standardError / chunks.length;
    }
  }
  return figures;
}

describe("exact probabilities, only the case mix shifts (20 chunks of 5,000 rows)", () => {
  const random = mulberry32(18_06);
  const reference = generateRows(random, 50_000, () => -0.5 + random());
  const chunks = Array.from({ length: 20 }, (_, k) =>
    generateRows(random, CHUNK, () => normal(random, -1 + (2 * k) / 19, 1)),
  );
  const estimator = fitEstimator(
    { task: "binary", scores: reference.scores, labels: Array.from(reference.labels) },
    { chunkSize: CHUNK },
  );
  const figures = trackingFigures(estimator, chunks);

  it("keeps the scores as given", () => {
    expect(estimator.calibrator.kind).toBe("identity");
  });

  it.each(ESTIMATED_METRICS)(
    "%s: the realized value lies in the band, the band is the realized spread",
    (metric) => {
      const { inside, meanAbsoluteError, meanZ } = figures[metric]!;
      expect(inside).toBeGreaterThanOrEqual(19);
      expect(meanAbsoluteError).toBeLessThan(0.01);
      expect(meanZ).toBeGreaterThan(0.5);
      expect(meanZ).toBeLessThan(1.15);
    },
  );

  it("alerts when the case mix moves the metric outside the reference's thresholds", () => {
    const first = estimator.estimate({ scores: chunks[0]!.scores });
    const middle = estimator.estimate({ scores: chunks[10]!.scores });
    expect(first.realized).toBeUndefined();
    expect(first.estimated.accuracy.alert).toBe(true); // wider case mix: more confident rows
    expect(middle.estimated.accuracy.threshold_lower).toBeLessThan(
      middle.estimated.accuracy.threshold_upper!,
    );
  });
});

describe("miscalibrated scores (score = p³, same ranking)", () => {
  const random = mulberry32(2026);
  const distort = (p: number): number => p ** 3;
  const reference = generateRows(random, 50_000, () => normal(random, 0, 1), distort);
  const chunks = Array.from({ length: 10 }, (_, k) =>
    generateRows(random, CHUNK, () => normal(random, -0.5 + k / 9, 1), distort),
  );
  const estimator = fitEstimator(
    { task: "binary", scores: reference.scores, labels: Array.from(reference.labels) },
    { threshold: 0.125 },
  );
  const figures = trackingFigures(estimator, chunks);

  it("calibrates with isotonic regression (it lowers the held-out ECE on every fold)", () => {
    expect(estimator.calibrator.kind).toBe("isotonic");
    const evidence = estimator.calibrator.evidence!;
    evidence.isotonic.forEach((ece, fold) => expect(ece).toBeLessThan(evidence.raw[fold]!));
  });

  it.each(ESTIMATED_METRICS)("%s: tracks the realized values after calibration", (metric) => {
    expect(figures[metric]!.inside).toBeGreaterThanOrEqual(9);
    expect(figures[metric]!.meanAbsoluteError).toBeLessThan(0.012);
  });

  it("without calibration the same scores miss badly", () => {
    const raw = fitEstimator(
      { task: "binary", scores: reference.scores, labels: Array.from(reference.labels) },
      { threshold: 0.125, calibration: "identity" },
    );
    expect(trackingFigures(raw, chunks).accuracy!.meanAbsoluteError).toBeGreaterThan(0.03);
  });
});
