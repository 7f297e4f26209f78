// Binary metrics from per-row probabilities of the positive class and the model's decisions:
// the expected confusion matrix E[TP] = Σ p over predicted positives, E[FN] = Σ p over predicted
// negatives, E[FP], E[TN] likewise with 1 − p; accuracy (E[TP] + E[TN]) / n, precision
// E[TP] / predicted positives, recall E[TP] / (E[TP] + E[FN]), F1 2E[TP] / (2E[TP] + E[FP] +
// E[FN]) and the expected ROC AUC. With p the 0/1 labels these are the realized metrics. The
// standard error is the delta-method spread of the realized metric around the estimate when
// each row's label is an independent Bernoulli(p) draw: Σ gradient² · p(1 − p).

import { expectedAucSorted } from "./expected-auc.js";
import type { MetricsWithErrors } from "./metric-types.js";
import { emptyMetricValues } from "./metric-types.js";

export interface BinaryRows {
  /** Probability of the positive class per row (calibrated, or the 0/1 label). */
  probabilities: Float64Array;
  /** 1 where the model predicted the positive class. */
  predictedPositive: Uint8Array;
  /** The model's scores, which order the rows for ROC AUC. */
  rankScores: Float64Array;
  /** The rows to measure, in ascending rankScores. */
  order: Uint32Array;
}

/** Metrics of the rows in `rows.order`; standard errors only when `withErrors`. */
export function binaryMetrics(rows: BinaryRows, withErrors: boolean): MetricsWithErrors {
  const { order } = rows;
  const n = order.length;
  // The rows copied in score order once: every walk below then reads memory in sequence.
  const probabilities = new Float64Array(n);
  const scores = new Float64Array(n);
  const predictedPositive = new Uint8Array(n);
  for (let r = 0; r < n; r += 1) {
    const row = order[r]!;
    probabilities[r] = rows.probabilities[row]!;
    scores[r] = rows.rankScores[row]!;
    predictedPositive[r] = rows.predictedPositive[row]!;
  }
  let expectedTruePositives = 0; // A
  let expectedFalseNegatives = 0; // B
  let predictedPositives = 0;
  let spreadPredictedPositive = 0; // Σ p(1 − p) over predicted positives
  let spreadPredictedNegative = 0;
  for (let r = 0; r < n; r += 1) {
    const p = probabilities[r]!;
    if (predictedPositive[r] === 1) {
      expectedTruePositives += p;
      predictedPositives += 1;
      spreadPredictedPositive += p * (1 - p);
    } else {
      expectedFalseNegatives += p;
      spreadPredictedNegative += p * (1 - p);
    }
  }
  const a = expectedTruePositives;
  const b = expectedFalseNegatives;
  const correct = a + (n - predictedPositives - b);
  const values = emptyMetricValues();
  const standardErrors = emptyMetricValues();
  // With probabilities so small that a denominator underflows, a variance can come out 0/0:
  // nothing varies then, so its error is 0 (an infinite one makes the band [0, 1]).
  const se = (variance: number): number | null =>
    withErrors ? Math.sqrt(Number.isNaN(variance) ? 0 : Math.max(variance, 0)) : null;

  if (n > 0) {
    values.accuracy = correct / n;
    standardErrors.accuracy = se((spreadPredictedPositive + spreadPredictedNegative) / (n * n));
  }
  if (predictedPositives > 0) {
    values.precision = a / predictedPositives;
    standardErrors.precision = se(spreadPredictedPositive / predictedPositives ** 2);
  }
  const actualPositives = a + b;
  if (actualPositives > 0) {
    values.recall = a / actualPositives;
    standardErrors.recall = se(
      (b * b * spreadPredictedPositive + a * a * spreadPredictedNegative) / actualPositives ** 4,
    );
  }
  const f1Denominator = a + b + predictedPositives;
  if (f1Denominator > 0) {
    values.f1 = (2 * a) / f1Denominator;
    const slopePositive = (2 * (b + predictedPositives)) / f1Denominator ** 2;
    const slopeNegative = (2 * a) / f1Denominator ** 2;
    standardErrors.f1 = se(
      slopePositive ** 2 * spreadPredictedPositive + slopeNegative ** 2 * spreadPredictedNegative,
    );
  }
  const gradient = withErrors ? new Float64Array(n) : undefined;
  const auc = expectedAucSorted(probabilities, scores, gradient);
  values.roc_auc = auc.value;
  if (auc.value !== null && gradient !== undefined) {
    let variance = 0;
    for (let r = 0; r < n; r += 1) {
      const p = probabilities[r]!;
      variance += gradient[r]! ** 2 * p * (1 - p);
    }
    standardErrors.roc_auc = se(variance);
  }
  return { values, standardErrors };
}
