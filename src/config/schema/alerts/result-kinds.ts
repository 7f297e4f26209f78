// The result kinds alert rules select (alerts.rules[].result), and the model name of driftwatch's
// own health. The config's grammar; alerts/model/observation.ts builds its observations on it.

/** What an observation measures. `performance_decay` is derived by rules from `performance`. */
export const OBSERVATION_KINDS = [
  "drift", // a detector's statistic for one feature (psi, ks_p_value, js, wasserstein_normed, chi2_p_value…)
  "drift_share", // share of drifted features of the model (metric "drift_share")
  "data_quality", // a data-quality metric, per feature or per model (missing_share, new_category_share…)
  "volume", // events in the window (metric "row_count")
  "label_coverage", // share of events with a label (metric "label_coverage")
  "performance", // a performance metric with its reference value (accuracy, f1, roc_auc, mae…)
  "health", // driftwatch's own health: ingest_lag_seconds, dead_letter_rate, evaluation_failures, evaluation_age_seconds
] as const;

export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

/** What a rule can select: every observation kind plus performance decay. */
export const RESULT_KINDS = [...OBSERVATION_KINDS, "performance_decay"] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

/** Service-wide health observations (not about one model) use this model name. */
export const SERVICE_MODEL = "_driftwatch";
