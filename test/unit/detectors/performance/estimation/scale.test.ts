// Scale: fitting on 1M reference rows and estimating 1M current rows (200 chunks of 5,000) takes
// a few seconds (sorts once per array, linear walks, no pairwise AUC). The bound is generous for
// a shared 2-core machine; the measured time is printed by the assertion message on failure.

import { describe, expect, it } from "vitest";

import { fitEstimator } from "../../../../../detectors/performance/estimation/index.js";
import { generateRows, mulberry32, normal } from "./generated-data.js";

describe("1M reference rows × 1M current rows", () => {
  it("fits and estimates within 20 s", () => {
    const random = mulberry32(1_000_000);
    const reference = generateRows(random, 1_000_000, () => normal(random, 0, 1));
    const current = generateRows(random, 1_000_000, () => normal(random, 0.3, 1));
    const started = performance.now();
    const estimator = fitEstimator(
      { task: "binary", scores: reference.scores, labels: reference.labels as unknown as number[] },
      { chunkSize: 5000 },
    );
    let alerts = 0;
    for (let from = 0; from < current.scores.length; from += 5000) {
      const result = estimator.estimate({ scores: current.scores.subarray(from, from + 5000) });
      if (result.estimated.accuracy.alert) alerts += 1;
    }
    const whole = estimator.estimate({ scores: current.scores });
    const seconds = (performance.now() - started) / 1000;
    expect(whole.estimated.roc_auc.value).toBeGreaterThan(0.5);
    expect(alerts).toBeGreaterThanOrEqual(0);
    expect(seconds, `took ${seconds.toFixed(2)} s`).toBeLessThan(20);
  }, 120_000);
});
