// The alert engine's input, as the monitor produces it: one batch of observations (typed results
// reduced to kind, metric, feature and value) for one model and window. The narrow seam between
// the monitoring engine and the alert engine; alerts/model/observation.ts re-exports it.
import {
  DRIFT_SHARE_METRIC,
  HEALTH_METRIC,
  LABEL_COVERAGE_METRIC,
  LOWER_IS_BETTER_METRICS,
} from "./metric-names.js";

/** What an observation measures. `performance_decay` is derived by rules from `performance`. */
export const OBSERVATION_KINDS = [
  "drift", // a detector's statistic for one feature (psi, ks_p_value, js, wasserstein_normed, chi2_p_value…)
  DRIFT_SHARE_METRIC, // share of drifted features of the model (metric "drift_share")
  "data_quality", // a data-quality metric, per feature or per model (missing_share, new_category_share…)
  "volume", // events in the window (metric "row_count")
  LABEL_COVERAGE_METRIC, // share of events with a label (metric "label_coverage")
  "performance", // a performance metric with its reference value (accuracy, f1, roc_auc, mae…)
  "performance_estimated", // a performance metric estimated before labels arrive (estimated_accuracy…), with its band's verdict
  "health", // driftwatch's own health: ingest_lag_seconds, dead_letter_rate, evaluation_failures, evaluation_age_seconds
] as const;

export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

/** What a rule can select: every observation kind plus performance decay. */
export const RESULT_KINDS = [...OBSERVATION_KINDS, "performance_decay"] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

/** Service-wide health observations (not about one model) use this model name. */
export const SERVICE_MODEL = "_driftwatch";

/** Well-known health metrics the monitor reports (kind "health"). */
export const HEALTH_METRICS = [
  HEALTH_METRIC.ingestLag,
  HEALTH_METRIC.deadLetterRate,
  HEALTH_METRIC.evaluationFailures,
  HEALTH_METRIC.evaluationAge,
] as const;

export { LOWER_IS_BETTER_METRICS };

/** One measured value. */
export interface Observation {
  readonly kind: ObservationKind;
  /** e.g. "psi", "drift_share", "missing_share", "row_count", "accuracy", "ingest_lag_seconds". */
  readonly metric: string;
  /** The feature it is about; absent for model-level results. */
  readonly feature?: string;
  readonly value: number;
  /** The detector's own threshold, used when a rule states none. */
  readonly threshold?: number;
  /** The detector's own verdict, used when a rule states no threshold. */
  readonly drifted?: boolean;
  /** Performance: the reference window's value of the same metric (estimated: its mean over reference chunks). */
  readonly referenceValue?: number;
  /** Performance: labelled rows the value rests on. */
  readonly nLabelled?: number;
  readonly pValue?: number;
}

/** All results of one evaluation of one model over one window. Times are epoch milliseconds. */
export interface ResultBatch {
  readonly model: string;
  readonly modelVersion?: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly observations: readonly Observation[];
}
