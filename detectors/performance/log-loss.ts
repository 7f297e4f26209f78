// Log loss (cross-entropy) as scikit-learn 1.9 computes it: probabilities must lie in [0, 1];
// each is clipped to [ε, 1 − ε] with ε = 2.220446049250313e-16 (float64 machine epsilon);
// rows are not renormalised; a row's loss is −ln of its true class's clipped probability (for
// binary scores, p for positives and 1 − p for negatives, 1 − p computed before clipping).

import type { MetricResult } from "./metric-result.js";
import { computableMetric, notComputable } from "./metric-result.js";
import { summarizeSample } from "./sample-summary.js";

export const LOG_LOSS_EPSILON = 2.220446049250313e-16;

function clippedNegativeLog(probability: number): number {
  const clipped = Math.min(Math.max(probability, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
  return -Math.log(clipped);
}

function outsideUnitInterval(value: number): boolean {
  return value < 0 || value > 1;
}

function fromRowLosses(losses: Float64Array): MetricResult {
  const summary = summarizeSample(losses);
  return computableMetric(summary.mean, losses.length, {
    kind: "row_mean",
    summary,
    transform: "identity",
  });
}

/** Binary log loss from 0/1 flags and positive-class probabilities. */
export function binaryLogLoss(
  isPositive: ArrayLike<number>,
  probabilities: Float64Array,
): MetricResult {
  const n = isPositive.length;
  if (n === 0) return notComputable("no labelled rows", 0);
  const losses = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const probability = probabilities[i];
    if (outsideUnitInterval(probability)) {
      return notComputable(
        `scores are not probabilities (row ${i} has ${probability}, outside [0, 1])`,
        n,
      );
    }
    losses[i] = clippedNegativeLog(isPositive[i] === 1 ? probability : 1 - probability);
  }
  return fromRowLosses(losses);
}

/** Multiclass log loss from class indices and per-row probability vectors (column = class). */
export function multiclassLogLoss(
  trueClass: Int32Array,
  probabilityRows: ReadonlyArray<Float64Array>,
): MetricResult {
  const n = trueClass.length;
  if (n === 0) return notComputable("no labelled rows", 0);
  const losses = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const row = probabilityRows[i];
    for (let c = 0; c < row.length; c += 1) {
      if (outsideUnitInterval(row[c])) {
        return notComputable(
          `scores are not probabilities (row ${i} has ${row[c]}, outside [0, 1])`,
          n,
        );
      }
    }
    losses[i] = clippedNegativeLog(row[trueClass[i]]);
  }
  return fromRowLosses(losses);
}
