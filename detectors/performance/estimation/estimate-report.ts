// Assembling one chunk's report: estimates with their sampling-error band, the reference's
// thresholds for the chunk's size, alerts, and the realized values when the chunk has labels.

import type {
  EstimatedMetricName,
  MetricEstimate,
  MetricsWithErrors,
  MetricValues,
  PerformanceEstimate,
  RealizedMetric,
} from "./metric-types.js";
import { ESTIMATED_METRICS } from "./metric-types.js";
import type { ReferenceSpread } from "./reference-spread.js";
import { thresholdsOf } from "./reference-spread.js";

export interface ReportSettings {
  /** Half-width of the band in standard errors. */
  bandSigmas: number;
  /** Half-width of the thresholds in reference standard deviations. */
  thresholdSigmas: number;
}

const clip = (value: number): number => Math.min(1, Math.max(0, value));

function outside(value: number | null, lower: number | null, upper: number | null): boolean {
  if (value === null) return false;
  return (lower !== null && value < lower) || (upper !== null && value > upper);
}

export function assembleReport(
  estimated: MetricsWithErrors,
  realized: MetricValues | undefined,
  spread: ReferenceSpread,
  settings: ReportSettings,
): PerformanceEstimate {
  const estimates = {} as Record<EstimatedMetricName, MetricEstimate>;
  const realizedReport = {} as Record<EstimatedMetricName, RealizedMetric>;
  for (const metric of ESTIMATED_METRICS) {
    const { lower: thresholdLower, upper: thresholdUpper } = thresholdsOf(
      spread.metrics[metric],
      settings.thresholdSigmas,
    );
    const value = estimated.values[metric];
    const error = estimated.standardErrors[metric];
    const band = value !== null && error !== null;
    estimates[metric] = {
      value,
      lower: band ? clip(value - settings.bandSigmas * error) : null,
      upper: band ? clip(value + settings.bandSigmas * error) : null,
      threshold_lower: thresholdLower,
      threshold_upper: thresholdUpper,
      alert: outside(value, thresholdLower, thresholdUpper),
    };
    if (realized !== undefined) {
      realizedReport[metric] = {
        value: realized[metric],
        threshold_lower: thresholdLower,
        threshold_upper: thresholdUpper,
        alert: outside(realized[metric], thresholdLower, thresholdUpper),
      };
    }
  }
  return realized === undefined
    ? { estimated: estimates }
    : { estimated: estimates, realized: realizedReport };
}
