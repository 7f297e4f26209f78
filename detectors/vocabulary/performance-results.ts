// A performance comparison as typed results: one per metric with a value in the current window
// (its reference value and p-value null when not computable), and the window's label coverage.
import type { PerformanceComparison } from "../performance/compare-performance.js";
import { LABEL_COVERAGE_METRIC } from "./metric-names.js";
import type { LabelCoverageResult, PerformanceResult } from "./results.js";

/** The comparison's metrics that have a current value, in the comparison's order. */
export function performanceResults(comparison: PerformanceComparison): PerformanceResult[] {
  const results: PerformanceResult[] = [];
  for (const metric of comparison.metrics) {
    if (metric.value === null) continue;
    results.push({
      kind: "performance",
      metric: metric.metric,
      value: metric.value,
      referenceValue: metric.reference_value,
      nLabelled: metric.n,
      pValue: metric.p_value,
      degraded: metric.degraded,
    });
  }
  return results;
}

/** Labelled share of a window's rows, with the reference's (null for an empty reference). */
export function labelCoverageResult(
  current: { readonly labelled: number; readonly rows: number },
  reference: { readonly labelled: number; readonly rows: number },
): LabelCoverageResult {
  return {
    kind: LABEL_COVERAGE_METRIC,
    metric: LABEL_COVERAGE_METRIC,
    value: current.rows === 0 ? Number.NaN : current.labelled / current.rows,
    referenceValue: reference.rows === 0 ? null : reference.labelled / reference.rows,
    nLabelled: current.labelled,
  };
}
