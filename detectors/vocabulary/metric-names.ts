// The one place that spells result metric names: drift tests and the figures they report, data
// quality, volume, drift share, performance metrics (with which way is better), label coverage
// and driftwatch's own health metrics. Everything else imports these typed constants.

/** Drift tests of the registry (the `test` of a verdict and of a feature override). */
export const DRIFT_TEST = {
  ks: "ks",
  wassersteinNormed: "wasserstein_normed",
  wasserstein: "wasserstein",
  chi2: "chi2",
  psi: "psi",
  js: "js",
} as const;
export type DriftTestName = (typeof DRIFT_TEST)[keyof typeof DRIFT_TEST];

/** The figures a column's comparison reports (drift_results metric names, result kind "drift"). */
export const DRIFT_METRIC = {
  psi: "psi",
  js: "js",
  ksStatistic: "ks_statistic",
  ksPValue: "ks_p_value",
  wasserstein: "wasserstein",
  wassersteinNormed: "wasserstein_normed",
  chi2Statistic: "chi2_statistic",
  chi2PValue: "chi2_p_value",
} as const;
export type DriftMetricName = (typeof DRIFT_METRIC)[keyof typeof DRIFT_METRIC];

/** Every drift figure, in the order results list them. */
export const DRIFT_METRIC_NAMES: readonly DriftMetricName[] = Object.values(DRIFT_METRIC);

/** PSI at or above this is reported as drift next to the deciding test (informational). */
export const PSI_REPORT_THRESHOLD = 0.2;

/** Data-quality metrics per feature (result kind "data_quality"). */
export const QUALITY_METRIC = {
  missingShare: "missing_share",
  outOfRangeShare: "out_of_range_share",
  newCategoryShare: "new_category_share",
} as const;
export type QualityMetricName = (typeof QUALITY_METRIC)[keyof typeof QUALITY_METRIC];

/** Events in the window and their ratio to the reference's rate (result kind "volume"). */
export const VOLUME_METRIC = { rowCount: "row_count", volumeRatio: "volume_ratio" } as const;
export type VolumeMetricName = (typeof VOLUME_METRIC)[keyof typeof VOLUME_METRIC];

/** Share of drifted features of a model (result kind and metric "drift_share"). */
export const DRIFT_SHARE_METRIC = "drift_share";
/** Share of events with a label (result kind and metric "label_coverage"). */
export const LABEL_COVERAGE_METRIC = "label_coverage";

/** How precision, recall and F1 are averaged over the classes of a multiclass task. */
export type Average = "macro" | "micro" | "weighted";
export const AVERAGES: readonly Average[] = ["macro", "micro", "weighted"];

/** Accuracy-decay metrics (result kind "performance"). */
export const PERFORMANCE_METRIC = {
  accuracy: "accuracy",
  precision: "precision",
  recall: "recall",
  f1: "f1",
  rocAuc: "roc_auc",
  rocAucOvr: "roc_auc_ovr",
  logLoss: "log_loss",
  mae: "mae",
  rmse: "rmse",
  mape: "mape",
  /** Not computed by detectors/performance; result batches from elsewhere may carry it. */
  mse: "mse",
} as const;
type Metric = typeof PERFORMANCE_METRIC;

/** The ratios precision, recall and F1 (averaged under a suffix for multiclass tasks). */
export type RatioMetricName = Metric["precision"] | Metric["recall"] | Metric["f1"];
export type BinaryMetricName =
  Metric["accuracy"] | RatioMetricName | Metric["rocAuc"] | Metric["logLoss"];
export type MulticlassMetricName =
  Metric["accuracy"] | `${RatioMetricName}_${Average}` | Metric["rocAucOvr"] | Metric["logLoss"];
export type RegressionMetricName = Metric["mae"] | Metric["rmse"] | Metric["mape"];
/** Every metric detectors/performance computes. */
export type PerformanceMetricName = BinaryMetricName | MulticlassMetricName | RegressionMetricName;

/** The multiclass name of an averaged ratio, e.g. precision_macro. */
export function averagedMetric<R extends RatioMetricName, A extends Average>(
  ratio: R,
  average: A,
): `${R}_${A}` {
  return `${ratio}_${average}`;
}

/** The metrics estimated before labels arrive (binary classification, confidence-based). */
export type EstimableMetricName = Metric["rocAuc"] | Metric["accuracy"] | RatioMetricName;
export const ESTIMABLE_METRICS: readonly EstimableMetricName[] = [
  PERFORMANCE_METRIC.rocAuc,
  PERFORMANCE_METRIC.accuracy,
  PERFORMANCE_METRIC.precision,
  PERFORMANCE_METRIC.recall,
  PERFORMANCE_METRIC.f1,
];

const ESTIMATED_PREFIX = "estimated_";

/**
 * The performance_results metric of an estimate made before labels arrive, e.g. estimated_accuracy
 * (result kind "performance_estimated"): the realized metric's name under a prefix, so realized
 * rows (accuracy) and estimated rows (estimated_accuracy) of one window sit side by side.
 */
export type EstimatedMetricName = `estimated_${EstimableMetricName}`;

export function estimatedMetric<M extends EstimableMetricName>(metric: M): `estimated_${M}` {
  return `${ESTIMATED_PREFIX}${metric}` as `estimated_${M}`;
}

/** Every estimated metric name, in ESTIMABLE_METRICS order. */
export const ESTIMATED_METRIC_NAMES: readonly EstimatedMetricName[] =
  ESTIMABLE_METRICS.map(estimatedMetric);

/** The realized metric an estimated one estimates (undefined for any other name). */
export function realizedMetricOf(metric: string): EstimableMetricName | undefined {
  if (!metric.startsWith(ESTIMATED_PREFIX)) return undefined;
  const realized = metric.slice(ESTIMATED_PREFIX.length);
  return ESTIMABLE_METRICS.find((name) => name === realized);
}

/** Performance metrics where a larger value is worse (their decay is value − reference). */
export const LOWER_IS_BETTER_METRICS: ReadonlySet<string> = new Set<string>([
  PERFORMANCE_METRIC.logLoss,
  PERFORMANCE_METRIC.mae,
  PERFORMANCE_METRIC.rmse,
  PERFORMANCE_METRIC.mape,
  PERFORMANCE_METRIC.mse,
]);

/**
 * Whether a larger value of this performance metric is better (accuracy: yes; MAE: no). An
 * estimated metric goes the way of the metric it estimates: higher is better for all five.
 */
export function higherIsBetter(metric: string): boolean {
  return !LOWER_IS_BETTER_METRICS.has(realizedMetricOf(metric) ?? metric);
}

/** driftwatch's own health metrics (result kind "health"). */
export const HEALTH_METRIC = {
  ingestLag: "ingest_lag_seconds",
  deadLetterRate: "dead_letter_rate",
  evaluationFailures: "evaluation_failures",
  evaluationAge: "evaluation_age_seconds",
  notificationFailures: "notification_failures",
  ingestedRows: "ingested_rows",
  heartbeat: "heartbeat",
} as const;
export type HealthMetricName = (typeof HEALTH_METRIC)[keyof typeof HEALTH_METRIC];

/** Every name above: what no code outside this vocabulary spells (test/unit/detectors checks). */
export const VOCABULARY_NAMES: ReadonlySet<string> = new Set<string>([
  ...Object.values(DRIFT_TEST),
  ...DRIFT_METRIC_NAMES,
  ...Object.values(QUALITY_METRIC),
  ...Object.values(VOLUME_METRIC),
  DRIFT_SHARE_METRIC,
  LABEL_COVERAGE_METRIC,
  ...Object.values(PERFORMANCE_METRIC),
  ...AVERAGES.flatMap((average) =>
    [PERFORMANCE_METRIC.precision, PERFORMANCE_METRIC.recall, PERFORMANCE_METRIC.f1].map((ratio) =>
      averagedMetric(ratio, average),
    ),
  ),
  ...ESTIMATED_METRIC_NAMES,
  ...Object.values(HEALTH_METRIC),
]);
