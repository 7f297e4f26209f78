// The expected ROC AUC and binary metrics as first written (random reads through `order`), kept
// as the reference the sequential versions must equal bit for bit (sequential-walks.test.ts).
import type { ExpectedAuc } from "../../../../../detectors/performance/estimation/expected-auc.js";
import type { MetricsWithErrors } from "../../../../../detectors/performance/estimation/index.js";
import { emptyMetricValues } from "../../../../../detectors/performance/estimation/metric-types.js";

/**
 * `order` lists the rows to use in ascending `rankScores`. When `gradient` is given, its entry
 * for each listed row receives ∂AUC/∂label of that row (left untouched when value is null).
 */
export function expectedAucBefore(
  probabilities: Float64Array,
  rankScores: Float64Array,
  order: Uint32Array,
  gradient?: Float64Array,
): ExpectedAuc {
  let positives = 0; // P = Σ p
  let negatives = 0; // Q = Σ (1 − p)
  let sameRowPairs = 0; // Σ p(1 − p): a row cannot pair with itself
  for (let r = 0; r < order.length; r += 1) {
    const p = probabilities[order[r]!]!;
    positives += p;
    negatives += 1 - p;
    sameRowPairs += p * (1 - p);
  }
  const pairs = positives * negatives - sameRowPairs;
  if (!(pairs > 0)) return { value: null };

  // U = Σ_k p_k · L_k, L_k = negatives ranked below row k + ½ tied negatives other than k.
  let ordered = 0;
  walkTieGroups(
    probabilities,
    rankScores,
    order,
    (start, end, _groupP, groupQ, _belowP, belowQ) => {
      for (let r = start; r < end; r += 1) {
        const p = probabilities[order[r]!]!;
        ordered += p * (belowQ + 0.5 * (groupQ - (1 - p)));
      }
    },
  );
  const value = ordered / pairs;
  if (gradient !== undefined) {
    // AUC = U / D with D = N₁·N₀: ∂U/∂y_k = L_k − H_k, ∂D/∂y_k = N₀ − N₁ (at the expectation).
    const pairsSlope = (negatives - positives) / pairs;
    walkTieGroups(
      probabilities,
      rankScores,
      order,
      (start, end, groupP, groupQ, belowP, belowQ) => {
        const aboveP = positives - belowP - groupP;
        for (let r = start; r < end; r += 1) {
          const row = order[r]!;
          const p = probabilities[row]!;
          const below = belowQ + 0.5 * (groupQ - (1 - p));
          const above = aboveP + 0.5 * (groupP - p);
          gradient[row] = (below - above) / pairs - value * pairsSlope;
        }
      },
    );
  }
  return { value };
}

type GroupVisitor = (
  start: number,
  end: number,
  groupP: number,
  groupQ: number,
  belowP: number,
  belowQ: number,
) => void;

/** Visit runs of equal rank score in ascending order with their sums and the sums below them. */
function walkTieGroups(
  probabilities: Float64Array,
  rankScores: Float64Array,
  order: Uint32Array,
  visit: GroupVisitor,
): void {
  let belowP = 0;
  let belowQ = 0;
  let start = 0;
  while (start < order.length) {
    const score = rankScores[order[start]!]!;
    let end = start;
    let groupP = 0;
    let groupQ = 0;
    while (end < order.length && rankScores[order[end]!] === score) {
      const p = probabilities[order[end]!]!;
      groupP += p;
      groupQ += 1 - p;
      end += 1;
    }
    visit(start, end, groupP, groupQ, belowP, belowQ);
    belowP += groupP;
    belowQ += groupQ;
    start = end;
  }
}

interface BinaryRows {
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
export function binaryMetricsBefore(rows: BinaryRows, withErrors: boolean): MetricsWithErrors {
  const { probabilities, predictedPositive, order } = rows;
  const n = order.length;
  let expectedTruePositives = 0; // A
  let expectedFalseNegatives = 0; // B
  let predictedPositives = 0;
  let spreadPredictedPositive = 0; // Σ p(1 − p) over predicted positives
  let spreadPredictedNegative = 0;
  for (let r = 0; r < n; r += 1) {
    const row = order[r]!;
    const p = probabilities[row]!;
    if (predictedPositive[row] === 1) {
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
  const gradient = withErrors ? new Float64Array(probabilities.length) : undefined;
  const auc = expectedAucBefore(probabilities, rows.rankScores, order, gradient);
  values.roc_auc = auc.value;
  if (auc.value !== null && gradient !== undefined) {
    let variance = 0;
    for (let r = 0; r < n; r += 1) {
      const row = order[r]!;
      const p = probabilities[row]!;
      variance += gradient[row]! ** 2 * p * (1 - p);
    }
    standardErrors.roc_auc = se(variance);
  }
  return { values, standardErrors };
}
