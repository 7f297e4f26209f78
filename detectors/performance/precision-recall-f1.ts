// Precision, recall and F1 from per-class counts, as scikit-learn defines them: binary ones for
// the positive class; multiclass ones macro-averaged (unweighted mean over classes), micro
// (pooled counts) or weighted (by support). A class whose ratio has a zero denominator is
// "not computable" and left out of the average, as sklearn's zero_division=np.nan does, unless
// the caller substitutes 0 or 1 for it as zero_division=0/1 does.

import type { ClassCounts } from "./confusion-counts.js";
import type { MetricResult } from "./metric-result.js";
import { computableMetric, notComputable } from "./metric-result.js";
import { AVERAGES, PERFORMANCE_METRIC, type Average } from "../vocabulary/metric-names.js";

export { AVERAGES, type Average };
const { precision: PRECISION, recall: RECALL, f1: F1 } = PERFORMANCE_METRIC;

/** What an undefined ratio (zero denominator) becomes: excluded, or sklearn's 0 / 1. */
export type ZeroDivision = "not_computable" | 0 | 1;

export interface PrecisionRecallF1 {
  precision: MetricResult;
  recall: MetricResult;
  f1: MetricResult;
}

interface Ratio {
  numerator: number;
  denominator: number;
}

/** Why a ratio is undefined, e.g. "no rows predicted as the positive class: precision is undefined". */
function undefinedReason(metric: keyof PrecisionRecallF1, subject: string): string {
  switch (metric) {
    case PRECISION:
      return `no rows predicted as ${subject}: precision is undefined`;
    case RECALL:
      return `no rows labelled as ${subject}: recall is undefined`;
    case F1:
      return `no rows labelled or predicted as ${subject}: F1 is undefined`;
  }
}

/** The three ratios of one class (or of pooled counts): TP/pred, TP/true, 2TP/(true+pred). */
function classRatios(
  truePositives: number,
  predicted: number,
  actual: number,
): Record<keyof PrecisionRecallF1, Ratio> {
  return {
    precision: { numerator: truePositives, denominator: predicted },
    recall: { numerator: truePositives, denominator: actual },
    f1: { numerator: 2 * truePositives, denominator: actual + predicted },
  };
}

/** Binary precision, recall and F1 of class index 1 (the positive class). */
export function binaryPrecisionRecallF1(
  counts: ClassCounts,
  zeroDivision: ZeroDivision,
): PrecisionRecallF1 {
  const truePositives = counts.truePositives[1];
  const predicted = counts.predicted[1];
  const actual = counts.actual[1];
  const ratios = classRatios(truePositives, predicted, actual);
  const result = (metric: keyof PrecisionRecallF1, evidenceIsProportion: boolean): MetricResult => {
    const { numerator, denominator } = ratios[metric];
    const restsOn = metric === F1 ? actual + predicted - truePositives : denominator;
    if (counts.rows === 0) return notComputable("no labelled rows", 0);
    if (denominator === 0) {
      const reason = undefinedReason(metric, "the positive class");
      if (zeroDivision === "not_computable") return notComputable(reason, restsOn);
      return computableMetric(zeroDivision, restsOn, {
        kind: "none",
        note: `zero_division=${zeroDivision}: ${reason}`,
      });
    }
    const value = numerator / denominator;
    return computableMetric(
      value,
      restsOn,
      evidenceIsProportion
        ? { kind: "proportion", successes: numerator, trials: denominator }
        : { kind: "none", note: "no significance test for F1" },
    );
  };
  return {
    precision: result(PRECISION, true),
    recall: result(RECALL, true),
    f1: result(F1, false),
  };
}

/** Micro average: the ratios of counts pooled over all classes. */
function microAverage(counts: ClassCounts, zeroDivision: ZeroDivision): PrecisionRecallF1 {
  let truePositives = 0;
  let predicted = 0;
  let actual = 0;
  for (let c = 0; c < counts.truePositives.length; c += 1) {
    truePositives += counts.truePositives[c];
    predicted += counts.predicted[c];
    actual += counts.actual[c];
  }
  const ratios = classRatios(truePositives, predicted, actual);
  const result = (metric: keyof PrecisionRecallF1): MetricResult => {
    const { numerator, denominator } = ratios[metric];
    if (counts.rows === 0) return notComputable("no labelled rows", 0);
    if (denominator === 0) {
      const reason = undefinedReason(metric, "any class");
      if (zeroDivision === "not_computable") return notComputable(reason, counts.rows);
      return computableMetric(zeroDivision, counts.rows, {
        kind: "none",
        note: `zero_division=${zeroDivision}: ${reason}`,
      });
    }
    // F1 pooled over all classes is a proportion only when every row counts once on each side.
    const isProportion = metric !== F1 || predicted === actual;
    const successes = metric === F1 ? truePositives : numerator;
    const trials = metric === F1 ? denominator / 2 : denominator;
    return computableMetric(
      numerator / denominator,
      counts.rows,
      isProportion
        ? { kind: "proportion", successes, trials }
        : { kind: "none", note: "no significance test for micro F1 over a subset of classes" },
    );
  };
  return { precision: result(PRECISION), recall: result(RECALL), f1: result(F1) };
}

/** Macro (plain mean) or weighted (by support) average of per-class ratios. */
function meanOverClasses(
  counts: ClassCounts,
  average: "macro" | "weighted",
  zeroDivision: ZeroDivision,
): PrecisionRecallF1 {
  const classCount = counts.truePositives.length;
  const result = (metric: keyof PrecisionRecallF1): MetricResult => {
    if (counts.rows === 0) return notComputable("no labelled rows", 0);
    let weightedSum = 0;
    let totalWeight = 0;
    let definedClasses = 0;
    for (let c = 0; c < classCount; c += 1) {
      const { numerator, denominator } = classRatios(
        counts.truePositives[c],
        counts.predicted[c],
        counts.actual[c],
      )[metric];
      let ratio: number;
      if (denominator > 0) ratio = numerator / denominator;
      else if (zeroDivision === "not_computable") continue;
      else ratio = zeroDivision;
      const weight = average === "weighted" ? counts.actual[c] : 1;
      weightedSum += weight * ratio;
      totalWeight += weight;
      definedClasses += 1;
    }
    if (definedClasses === 0) {
      return notComputable(
        `${metric} is undefined for every class (zero denominators)`,
        counts.rows,
      );
    }
    if (totalWeight === 0) {
      return notComputable(
        `${metric} is defined only for classes with no labelled rows: the support-weighted average is undefined`,
        counts.rows,
      );
    }
    return computableMetric(weightedSum / totalWeight, counts.rows, {
      kind: "none",
      note: `no significance test for a ${average}-averaged ${metric}`,
    });
  };
  return { precision: result(PRECISION), recall: result(RECALL), f1: result(F1) };
}

/** Multiclass precision, recall and F1 averaged over `counts`' classes. */
export function averagedPrecisionRecallF1(
  counts: ClassCounts,
  average: Average,
  zeroDivision: ZeroDivision,
): PrecisionRecallF1 {
  return average === "micro"
    ? microAverage(counts, zeroDivision)
    : meanOverClasses(counts, average, zeroDivision);
}
