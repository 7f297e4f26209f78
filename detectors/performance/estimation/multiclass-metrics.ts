// Multiclass metrics from per-row class probabilities (rows summing to 1) and the model's
// predicted classes: accuracy = Σ p(predicted class) / n; per class c the expected TP_c = Σ p_c
// over rows predicted c, predicted_c counted, actual_c = Σ p_c; precision_c = TP_c / predicted_c,
// recall_c = TP_c / actual_c, F1_c = 2TP_c / (predicted_c + actual_c), ROC AUC_c one-vs-rest
// (expected-auc.ts); each macro-averaged over the classes where it is defined (as scikit-learn's
// zero_division=np.nan). With one-hot labels as probabilities these are the realized metrics.
// Standard errors: delta method over independent rows, each label a categorical draw from its
// row's probabilities: Σ_rows [Σ_c g_c² p_c − (Σ_c g_c p_c)²] with g the metric's gradient.

import { expectedAuc } from "./expected-auc.js";
import type { MetricsWithErrors } from "./metric-types.js";
import { emptyMetricValues } from "./metric-types.js";

export interface MulticlassRows {
  /** Per class, each row's probability of that class (calibrated, or the one-hot label). */
  probabilities: readonly Float64Array[];
  /** Each row's predicted class index. */
  predictedClass: Int32Array;
  /** Per class, the model's scores ordering the rows for that class's ROC AUC. */
  rankScores: readonly Float64Array[];
  /** Per class, the rows to measure in ascending rankScores of that class (same row set). */
  orders: readonly Uint32Array[];
}

/** Per-row Σ_c g_c p_c and Σ_c g_c² p_c of one macro metric, accumulated class by class. */
class GradientMoments {
  readonly first: Float64Array;
  readonly second: Float64Array;
  constructor(length: number) {
    this.first = new Float64Array(length);
    this.second = new Float64Array(length);
  }
  add(row: number, gradient: number, probability: number): void {
    this.first[row] += gradient * probability;
    this.second[row] += gradient * gradient * probability;
  }
  standardError(rows: Uint32Array): number {
    let variance = 0;
    for (const row of rows) variance += this.second[row]! - this.first[row]! ** 2;
    return Math.sqrt(Math.max(variance, 0));
  }
}

interface ClassSums {
  truePositives: Float64Array;
  predicted: Float64Array;
  actual: Float64Array;
}

function classSums(rows: MulticlassRows, classCount: number): ClassSums {
  const sums: ClassSums = {
    truePositives: new Float64Array(classCount),
    predicted: new Float64Array(classCount),
    actual: new Float64Array(classCount),
  };
  for (const row of rows.orders[0]!) {
    const predicted = rows.predictedClass[row]!;
    sums.predicted[predicted] += 1;
    sums.truePositives[predicted] += rows.probabilities[predicted]![row]!;
    for (let c = 0; c < classCount; c += 1) sums.actual[c] += rows.probabilities[c]![row]!;
  }
  return sums;
}

/** Metrics of the rows listed in `rows.orders`; standard errors only when `withErrors`. */
export function multiclassMetrics(rows: MulticlassRows, withErrors: boolean): MetricsWithErrors {
  const classCount = rows.probabilities.length;
  const members = rows.orders[0]!;
  const n = members.length;
  const length = rows.predictedClass.length;
  const values = emptyMetricValues();
  const standardErrors = emptyMetricValues();
  if (n === 0) return { values, standardErrors };
  const { truePositives, predicted, actual } = classSums(rows, classCount);

  let correct = 0;
  let accuracySpread = 0;
  for (const row of members) {
    const q = rows.probabilities[rows.predictedClass[row]!]![row]!;
    correct += q;
    accuracySpread += q * (1 - q);
  }
  values.accuracy = correct / n;
  if (withErrors) standardErrors.accuracy = Math.sqrt(accuracySpread) / n;

  const defined = (test: (c: number) => boolean): number[] =>
    Array.from({ length: classCount }, (_, c) => c).filter(test);
  const precisionClasses = defined((c) => predicted[c]! > 0);
  const recallClasses = defined((c) => actual[c]! > 0);
  const f1Classes = defined((c) => predicted[c]! + actual[c]! > 0);
  const mean = (classes: number[], of: (c: number) => number): number | null =>
    classes.length === 0 ? null : classes.reduce((sum, c) => sum + of(c), 0) / classes.length;
  values.precision = mean(precisionClasses, (c) => truePositives[c]! / predicted[c]!);
  values.recall = mean(recallClasses, (c) => truePositives[c]! / actual[c]!);
  values.f1 = mean(f1Classes, (c) => (2 * truePositives[c]!) / (predicted[c]! + actual[c]!));

  const aucGradient = withErrors ? new Float64Array(length) : undefined;
  const aucMoments = withErrors ? new GradientMoments(length) : undefined;
  let aucSum = 0;
  let aucDefined = true;
  for (let c = 0; c < classCount && aucDefined; c += 1) {
    const auc = expectedAuc(
      rows.probabilities[c]!,
      rows.rankScores[c]!,
      rows.orders[c]!,
      aucGradient,
    );
    if (auc.value === null) aucDefined = false;
    else aucSum += auc.value;
    if (aucMoments !== undefined && aucGradient !== undefined && auc.value !== null) {
      const p = rows.probabilities[c]!;
      for (const row of members) aucMoments.add(row, aucGradient[row]! / classCount, p[row]!);
    }
  }
  // One-vs-rest AUC is undefined when some class is absent (or every row): scikit-learn raises.
  if (aucDefined) values.roc_auc = aucSum / classCount;
  if (!withErrors) return { values, standardErrors };
  if (aucDefined && aucMoments !== undefined)
    standardErrors.roc_auc = aucMoments.standardError(members);

  const precision = new GradientMoments(length);
  const recall = new GradientMoments(length);
  const f1 = new GradientMoments(length);
  for (const row of members) {
    const predictedRow = rows.predictedClass[row]!;
    for (let c = 0; c < classCount; c += 1) {
      const p = rows.probabilities[c]![row]!;
      const isPredicted = predictedRow === c ? 1 : 0;
      if (isPredicted === 1 && predicted[c]! > 0) {
        precision.add(row, 1 / (predicted[c]! * precisionClasses.length), p);
      }
      if (actual[c]! > 0) {
        const slope = (isPredicted * actual[c]! - truePositives[c]!) / actual[c]! ** 2;
        recall.add(row, slope / recallClasses.length, p);
      }
      const f1Denominator = predicted[c]! + actual[c]!;
      if (f1Denominator > 0) {
        const slope =
          (2 * isPredicted * f1Denominator - 2 * truePositives[c]!) / f1Denominator ** 2;
        f1.add(row, slope / f1Classes.length, p);
      }
    }
  }
  if (values.precision !== null) standardErrors.precision = precision.standardError(members);
  if (values.recall !== null) standardErrors.recall = recall.standardError(members);
  if (values.f1 !== null) standardErrors.f1 = f1.standardError(members);
  return { values, standardErrors };
}
