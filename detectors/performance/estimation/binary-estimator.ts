// Confidence-based performance estimation for a binary classifier: calibrate the reference's
// scores (calibrator.ts), learn the spread of each realized metric over reference chunks, then
// per chunk report the expected metrics of its calibrated probabilities (binary-metrics.ts).

import { PerformanceInputError } from "../errors.js";
import { argsortAscending } from "./argsort.js";
import { binaryMetrics } from "./binary-metrics.js";
import type { Calibrator } from "./calibrator.js";
import { applyCalibrator, chooseCalibrator } from "./calibrator.js";
import { assembleReport } from "./estimate-report.js";
import type { EstimatorOptions, ResolvedEstimatorOptions } from "./estimator-options.js";
import { resolveEstimatorOptions } from "./estimator-options.js";
import type { BinaryData } from "./inputs.js";
import { binaryDecisions, binaryFlags, probabilityScores } from "./inputs.js";
import type { PerformanceEstimate } from "./metric-types.js";
import type { ReferenceSpread } from "./reference-spread.js";
import { chunkOrders, referenceSpread } from "./reference-spread.js";

export interface BinaryEstimator {
  readonly task: "binary";
  readonly referenceRows: number;
  readonly calibrator: Calibrator;
  readonly options: ResolvedEstimatorOptions;
  /** The reference's spread of each realized metric for chunks of `size` rows (cached). */
  spread(size: number): ReferenceSpread;
  /** Estimated (and, with labels, realized) performance of one chunk. */
  estimate(chunk: BinaryData): PerformanceEstimate;
}

/** Fit on a labelled reference; `reference.labels` is required. */
export function fitBinaryEstimator(
  reference: BinaryData,
  options: EstimatorOptions = {},
): BinaryEstimator {
  const resolved = resolveEstimatorOptions(options);
  const { positiveLabel, threshold } = resolved;
  const scores = probabilityScores(reference.scores, "reference.scores");
  if (reference.labels === undefined) {
    throw new PerformanceInputError("reference.labels", "are required to fit the estimator");
  }
  if (scores.length === 0) throw new PerformanceInputError("reference.scores", "has no rows");
  const isPositive = binaryFlags(
    reference.labels,
    scores.length,
    positiveLabel,
    "reference.labels",
    "reference.scores",
  );
  const decisions = binaryDecisions(reference, scores, positiveLabel, threshold, "reference");
  const order = argsortAscending(scores);
  const calibrator = chooseCalibrator(scores, isPositive, {
    mode: resolved.calibration,
    folds: resolved.calibrationFolds,
    order,
  });
  const outcomes = Float64Array.from(isPositive);
  const realizedChunks = (size: number, count: number) =>
    chunkOrders(order, size, count).map(
      (chunkOrder) =>
        binaryMetrics(
          {
            probabilities: outcomes,
            predictedPositive: decisions,
            rankScores: scores,
            order: chunkOrder,
          },
          false,
        ).values,
    );
  const spreads = new Map<number, ReferenceSpread>();
  const spread = (size: number): ReferenceSpread => {
    let cached = spreads.get(size);
    if (cached === undefined) {
      cached = referenceSpread(scores.length, size, realizedChunks);
      spreads.set(size, cached);
    }
    return cached;
  };
  if (resolved.chunkSize !== undefined) spread(resolved.chunkSize);

  const estimate = (chunk: BinaryData): PerformanceEstimate => {
    const chunkScores = probabilityScores(chunk.scores, "current.scores");
    if (chunkScores.length === 0) throw new PerformanceInputError("current.scores", "has no rows");
    const chunkDecisions = binaryDecisions(chunk, chunkScores, positiveLabel, threshold, "current");
    const chunkOrder = argsortAscending(chunkScores);
    const estimated = binaryMetrics(
      {
        probabilities: applyCalibrator(calibrator, chunkScores),
        predictedPositive: chunkDecisions,
        rankScores: chunkScores,
        order: chunkOrder,
      },
      true,
    );
    let realized;
    if (chunk.labels !== undefined) {
      const flags = binaryFlags(
        chunk.labels,
        chunkScores.length,
        positiveLabel,
        "current.labels",
        "current.scores",
      );
      realized = binaryMetrics(
        {
          probabilities: Float64Array.from(flags),
          predictedPositive: chunkDecisions,
          rankScores: chunkScores,
          order: chunkOrder,
        },
        false,
      ).values;
    }
    return assembleReport(estimated, realized, spread(chunkScores.length), resolved);
  };

  return {
    task: "binary",
    referenceRows: scores.length,
    calibrator,
    options: resolved,
    spread,
    estimate,
  };
}
