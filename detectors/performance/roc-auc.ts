// ROC AUC. Binary: the Mann-Whitney form (ties count one half), which equals sklearn's
// roc_auc_score trapezoids exactly, with DeLong's variance from the structural components
// (DeLong, DeLong & Clarke-Pearson 1988): each positive's share of negatives it outranks and
// each negative's share of positives outranking it, counted by walking both classes' sorted
// scores. Multiclass: one-vs-rest per class, macro-averaged (sklearn's multi_class="ovr").

import type { Label } from "./labels.js";
import type { MetricResult } from "./metric-result.js";
import { computableMetric, notComputable } from "./metric-result.js";
import { summarizeSample } from "./sample-summary.js";

export interface AucEstimate {
  auc: number;
  nPositive: number;
  nNegative: number;
  /** DeLong's variance S10/n₁ + S01/n₀; null when either class has fewer than 2 rows. */
  variance: number | null;
}

/**
 * For each value of `sorted` (ascending), 2·(#other < value) + (#other == value): twice the
 * "outranks, ties one half" count against the ascending array `other`, kept integral.
 */
function doubledOutrankCounts(sorted: Float64Array, other: Float64Array): Float64Array {
  const counts = new Float64Array(sorted.length);
  let below = 0; // first index of `other` not < value
  let notAbove = 0; // first index of `other` > value
  for (let i = 0; i < sorted.length; i += 1) {
    const value = sorted[i];
    while (below < other.length && other[below] < value) below += 1;
    if (notAbove < below) notAbove = below;
    while (notAbove < other.length && other[notAbove] <= value) notAbove += 1;
    counts[i] = below + notAbove; // 2·below + (notAbove − below)
  }
  return counts;
}

/**
 * AUC and DeLong variance from binary flags (1 = positive) and scores. Returns null when a
 * class is absent (AUC undefined). `withVariance` false skips the variance.
 */
export function aucWithDelongVariance(
  isPositive: ArrayLike<number>,
  scores: Float64Array,
  withVariance = true,
): AucEstimate | null {
  let nPositive = 0;
  for (let i = 0; i < isPositive.length; i += 1) nPositive += isPositive[i];
  const nNegative = isPositive.length - nPositive;
  if (nPositive === 0 || nNegative === 0) return null;

  const positiveScores = new Float64Array(nPositive);
  const negativeScores = new Float64Array(nNegative);
  for (let i = 0, p = 0, q = 0; i < scores.length; i += 1) {
    if (isPositive[i] === 1) positiveScores[p++] = scores[i];
    else negativeScores[q++] = scores[i];
  }
  positiveScores.sort();
  negativeScores.sort();

  // V10ᵢ = (negatives below + ½ ties) / n₀; the doubled counts are integers, so AUC is exact.
  const positiveCounts = doubledOutrankCounts(positiveScores, negativeScores);
  let doubledTotal = 0;
  for (const count of positiveCounts) doubledTotal += count;
  const auc = doubledTotal / (2 * nPositive * nNegative);
  if (!withVariance || nPositive < 2 || nNegative < 2) {
    return { auc, nPositive, nNegative, variance: null };
  }

  const positiveComponents = positiveCounts.map((count) => count / (2 * nNegative));
  // V01ⱼ = (positives above + ½ ties) / n₁ = 1 − (positives below + ½ ties) / n₁.
  const negativeComponents = doubledOutrankCounts(negativeScores, positiveScores).map(
    (count) => 1 - count / (2 * nPositive),
  );
  const positiveVariance = summarizeSample(positiveComponents).variance ?? 0;
  const negativeVariance = summarizeSample(negativeComponents).variance ?? 0;
  return {
    auc,
    nPositive,
    nNegative,
    variance: positiveVariance / nPositive + negativeVariance / nNegative,
  };
}

/** Binary ROC AUC as a metric result (evidence carries DeLong's variance). */
export function binaryRocAuc(isPositive: ArrayLike<number>, scores: Float64Array): MetricResult {
  const n = isPositive.length;
  if (n === 0) return notComputable("no labelled rows", 0);
  const estimate = aucWithDelongVariance(isPositive, scores);
  if (estimate === null)
    return notComputable("y_true holds a single class: ROC AUC is undefined", n);
  return computableMetric(estimate.auc, n, {
    kind: "auc",
    n_positive: estimate.nPositive,
    n_negative: estimate.nNegative,
    variance: estimate.variance,
  });
}

/**
 * One-vs-rest ROC AUC macro-averaged over `classes` (score column c belongs to classes[c]).
 * Not computable when some class has no rows or every row (its one-vs-rest AUC is undefined).
 */
export function oneVsRestRocAuc(
  trueClass: Int32Array,
  scoreRows: ReadonlyArray<Float64Array>,
  classes: readonly Label[],
): MetricResult {
  const n = trueClass.length;
  if (n === 0) return notComputable("no labelled rows", 0);
  const isClass = new Uint8Array(n);
  const columnScores = new Float64Array(n);
  let sum = 0;
  for (let c = 0; c < classes.length; c += 1) {
    for (let i = 0; i < n; i += 1) {
      isClass[i] = trueClass[i] === c ? 1 : 0;
      columnScores[i] = scoreRows[i][c];
    }
    const estimate = aucWithDelongVariance(isClass, columnScores, false);
    if (estimate === null) {
      return notComputable(
        `class ${JSON.stringify(classes[c])} is ${isClass.includes(1) ? "every row" : "absent"} in y_true: its one-vs-rest ROC AUC is undefined`,
        n,
      );
    }
    sum += estimate.auc;
  }
  return computableMetric(sum / classes.length, n, {
    kind: "none",
    note: "no significance test for a macro-averaged one-vs-rest ROC AUC",
  });
}
