// ROC AUC. Binary: the Mann-Whitney form (ties count one half), which equals sklearn's
// roc_auc_score trapezoids exactly, with DeLong's variance from the structural components
// (DeLong, DeLong & Clarke-Pearson 1988, computed through midranks as Sun & Xu 2014 show).
// Multiclass: one-vs-rest per class, macro-averaged (sklearn's multi_class="ovr").

import type { Label } from "./labels.js";
import type { MetricResult } from "./metric-result.js";
import { computableMetric, notComputable } from "./metric-result.js";
import { midranks } from "./midranks.js";
import { summarizeSample } from "./sample-summary.js";

export interface AucEstimate {
  auc: number;
  nPositive: number;
  nNegative: number;
  /** DeLong's variance S10/n₁ + S01/n₀; null when either class has fewer than 2 rows. */
  variance: number | null;
}

/**
 * AUC and DeLong variance from binary flags (1 = positive) and scores. Returns null when a
 * class is absent (AUC undefined).
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
  const combined = new Float64Array(scores.length);
  combined.set(positiveScores, 0);
  combined.set(negativeScores, nPositive);
  const combinedRanks = midranks(combined);

  // Mann-Whitney: AUC = (Σ ranks of positives − n₁(n₁+1)/2) / (n₁ n₀); the rank sum is exact.
  let positiveRankSum = 0;
  for (let i = 0; i < nPositive; i += 1) positiveRankSum += combinedRanks[i];
  const auc = (positiveRankSum - (nPositive * (nPositive + 1)) / 2) / (nPositive * nNegative);

  if (!withVariance || nPositive < 2 || nNegative < 2)
    return { auc, nPositive, nNegative, variance: null };

  // Structural components: V10ᵢ = share of negatives a positive outranks (ties ½),
  // V01ⱼ = share of positives that outrank a negative.
  const positiveRanks = midranks(positiveScores);
  const negativeRanks = midranks(negativeScores);
  const positiveComponents = new Float64Array(nPositive);
  for (let i = 0; i < nPositive; i += 1) {
    positiveComponents[i] = (combinedRanks[i] - positiveRanks[i]) / nNegative;
  }
  const negativeComponents = new Float64Array(nNegative);
  for (let j = 0; j < nNegative; j += 1) {
    negativeComponents[j] = 1 - (combinedRanks[nPositive + j] - negativeRanks[j]) / nPositive;
  }
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
