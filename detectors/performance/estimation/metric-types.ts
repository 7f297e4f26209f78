// The shapes the estimation reports, keyed as DESIGN's `check --json` "performance" object:
// per metric an estimate with its sampling-error band, the reference's thresholds and an alert,
// and, when the chunk has labels, the realized value judged by the same thresholds.

import { PERFORMANCE_METRIC } from "../../vocabulary/metric-names.js";

/** The metrics estimated (and realized), in report order (names from the result vocabulary). */
export const ESTIMATED_METRICS = [
  PERFORMANCE_METRIC.rocAuc,
  PERFORMANCE_METRIC.accuracy,
  PERFORMANCE_METRIC.precision,
  PERFORMANCE_METRIC.recall,
  PERFORMANCE_METRIC.f1,
] as const;
export type EstimatedMetricName = (typeof ESTIMATED_METRICS)[number];

/** One value per metric; null where the metric is undefined (e.g. precision without predicted positives). */
export type MetricValues = Record<EstimatedMetricName, number | null>;

export interface MetricEstimate {
  /** Estimated value from the calibrated probabilities, null when undefined. */
  value: number | null;
  /** value ∓ bandSigmas × the sampling error of the realized metric around it, within [0, 1]. */
  lower: number | null;
  upper: number | null;
  /** The reference's mean ∓ thresholdSigmas × σ of the realized metric over chunks of this size. */
  threshold_lower: number | null;
  threshold_upper: number | null;
  /** value is outside [threshold_lower, threshold_upper]. */
  alert: boolean;
}

export interface RealizedMetric {
  value: number | null;
  threshold_lower: number | null;
  threshold_upper: number | null;
  alert: boolean;
}

/** One chunk's performance: DESIGN's `"performance": {"estimated": …, "realized"?: …}`. */
export interface PerformanceEstimate {
  estimated: Record<EstimatedMetricName, MetricEstimate>;
  /** Present when the chunk carries labels. */
  realized?: Record<EstimatedMetricName, RealizedMetric>;
}

/** Metric values and, for estimates, the standard deviation of the realized metric around them. */
export interface MetricsWithErrors {
  values: MetricValues;
  /** Null per metric when undefined or not asked for. */
  standardErrors: MetricValues;
}

export function emptyMetricValues(): MetricValues {
  return { roc_auc: null, accuracy: null, precision: null, recall: null, f1: null };
}
