// Scale: fitting on 1M reference rows and estimating 1M current rows (200 chunks of 5,000) works
// on arrays of that size (sorts once per array, linear walks, no pairwise AUC), and the estimates
// still track what the labels show: with calibrated scores and a shifted case mix, each chunk's
// realized accuracy lies inside its estimate's sampling-error band, as does the whole file's.
// (How fast this runs is bench:check's business, not a test's.)

import { describe, expect, it } from "vitest";

import { fitEstimator } from "../../../../../detectors/performance/estimation/index.js";
import { generateRows, mulberry32, normal } from "./generated-data.js";

const CHUNK = 5_000;

/** Accuracy of "score ≥ 0.5 predicts 1" on rows from..to. */
function realizedAccuracy(scores: Float64Array, labels: Uint8Array, from: number, to: number) {
  let right = 0;
  for (let i = from; i < to; i += 1) if ((scores[i]! >= 0.5 ? 1 : 0) === labels[i]) right += 1;
  return right / (to - from);
}

describe("1M reference rows × 1M current rows", () => {
  it("fits and estimates every chunk and the whole file, the realized accuracy inside each band", () => {
    const random = mulberry32(1_000_000);
    const reference = generateRows(random, 1_000_000, () => normal(random, 0, 1));
    const current = generateRows(random, 1_000_000, () => normal(random, 0.3, 1));
    const estimator = fitEstimator(
      { task: "binary", scores: reference.scores, labels: reference.labels as unknown as number[] },
      { chunkSize: CHUNK },
    );
    let inside = 0;
    let chunks = 0;
    for (let from = 0; from < current.scores.length; from += CHUNK) {
      const { accuracy } = estimator.estimate({
        scores: current.scores.subarray(from, from + CHUNK),
      }).estimated;
      const realized = realizedAccuracy(current.scores, current.labels, from, from + CHUNK);
      chunks += 1;
      if (realized >= accuracy.lower! && realized <= accuracy.upper!) inside += 1;
    }
    expect(chunks).toBe(200);
    // ±3 standard errors: about 99.7 % of chunks; allow a few outside.
    expect(inside, `${inside} of ${chunks} chunks inside their band`).toBeGreaterThanOrEqual(194);
    const whole = estimator.estimate({ scores: current.scores }).estimated;
    const realized = realizedAccuracy(current.scores, current.labels, 0, current.scores.length);
    expect(realized).toBeGreaterThanOrEqual(whole.accuracy.lower!);
    expect(realized).toBeLessThanOrEqual(whole.accuracy.upper!);
    expect(whole.roc_auc.value).toBeGreaterThan(0.7);
  }, 120_000);
});
