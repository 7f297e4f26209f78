// The result type every accuracy-decay metric returns for one window: either a value with the
// row count it rests on and the evidence a significance test needs, or an explicit
// "not computable" with its reason — never NaN passed off as a value.

import type { SampleSummary } from "./sample-summary.js";

/** What a metric's value was computed from, in the form its significance test consumes. */
export type MetricEvidence =
  /** value = successes / trials (accuracy, binary precision/recall, micro averages). */
  | { kind: "proportion"; successes: number; trials: number }
  /** value = ROC AUC; `variance` is DeLong's, null when a class has fewer than 2 rows. */
  | { kind: "auc"; n_positive: number; n_negative: number; variance: number | null }
  /** value = mean of per-row losses (`identity`) or its square root (`sqrt`, for RMSE). */
  | { kind: "row_mean"; summary: SampleSummary; transform: "identity" | "sqrt" }
  /** value with no significance test (F1, macro/weighted averages, multiclass AUC). */
  | { kind: "none"; note: string };

export interface ComputableMetric {
  computable: true;
  value: number;
  /** Rows the value rests on (e.g. predicted positives for precision). */
  n: number;
  evidence: MetricEvidence;
}

export interface NotComputableMetric {
  computable: false;
  /** Why there is no value, e.g. "y_true holds a single class: ROC AUC is undefined". */
  reason: string;
  n: number;
}

export type MetricResult = ComputableMetric | NotComputableMetric;

export function computableMetric(value: number, n: number, evidence: MetricEvidence): MetricResult {
  if (!Number.isFinite(value)) {
    return notComputable(`value is not finite (${value}): inputs overflow double precision`, n);
  }
  return { computable: true, value, n, evidence };
}

export function notComputable(reason: string, n: number): NotComputableMetric {
  return { computable: false, reason, n };
}
