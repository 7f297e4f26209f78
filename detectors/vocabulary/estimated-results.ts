// A window's performance estimate (made before its labels arrive) as typed results, one per
// metric with an estimated value, and the reason text of an estimate below its reference band.
import type { PerformanceEstimate } from "../performance/estimation/metric-types.js";
import { ESTIMABLE_METRICS, estimatedMetric, realizedMetricOf } from "./metric-names.js";
import type { EstimatedPerformanceResult } from "./results.js";

/**
 * The estimate's metrics that have a value, in ESTIMABLE_METRICS order. `referenceValues` are the
 * reference's means of each realized metric over chunks of the window's size (null: unknown);
 * `nLabelled` the window's labelled rows when it was estimated.
 */
export function estimatedPerformanceResults(
  estimate: PerformanceEstimate,
  referenceValues: Readonly<Partial<Record<string, number | null>>>,
  nLabelled: number,
): EstimatedPerformanceResult[] {
  const results: EstimatedPerformanceResult[] = [];
  for (const metric of ESTIMABLE_METRICS) {
    const figure = estimate.estimated[metric];
    if (figure.value === null || !Number.isFinite(figure.value)) continue;
    results.push({
      kind: "performance_estimated",
      metric: estimatedMetric(metric),
      value: figure.value,
      lower: figure.lower,
      upper: figure.upper,
      thresholdLower: figure.threshold_lower,
      thresholdUpper: figure.threshold_upper,
      alert: figure.alert,
      referenceValue: referenceValues[metric] ?? null,
      nLabelled,
    });
  }
  return results;
}

const figure = (value: number): string => value.toFixed(3);

/**
 * Why an estimate counts, e.g. "estimated accuracy 0.712 below its reference band [0.780, 0.860]
 * (labels not yet in)"; undefined when it is inside the band or above it (all five metrics are
 * better higher: an estimate above the band alerts, but degrades nothing).
 */
export function estimateReason(result: EstimatedPerformanceResult): string | undefined {
  const { value, thresholdLower, thresholdUpper } = result;
  if (!result.alert || thresholdLower === null || value >= thresholdLower) return undefined;
  const realized = realizedMetricOf(result.metric) ?? result.metric;
  const band = `[${figure(thresholdLower)}, ${thresholdUpper === null ? "—" : figure(thresholdUpper)}]`;
  const labels =
    result.nLabelled === 0 ? "labels not yet in" : `${result.nLabelled} labelled rows so far`;
  return `estimated ${realized} ${figure(value)} below its reference band ${band} (${labels})`;
}

/** Whether a window's reason is about performance estimation (see estimateReason). */
export function isEstimateReason(reason: string): boolean {
  return reason.startsWith("estimated ") || reason.startsWith(NO_ESTIMATE);
}

/** The start of every reason a window got no performance estimate. */
export const NO_ESTIMATE = "no performance estimate: ";
