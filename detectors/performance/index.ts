// Public surface of the accuracy-decay metrics (pure, no I/O): per-window classification and
// regression metrics with their row counts, and their comparison with a reference window
// through two-proportion z, DeLong and Welch tests.

export { comparePerformance, DEFAULT_ALPHA } from "./compare-performance.js";
export type {
  ComparePerformanceOptions,
  MetricComparison,
  PerformanceComparison,
} from "./compare-performance.js";
export { computeWindowMetrics } from "./window-metrics.js";
export type {
  BinaryMetricName,
  MulticlassMetricName,
  NamedMetricResult,
  PerformanceMetricName,
  RegressionMetricName,
  WindowMetrics,
} from "./window-metrics.js";
export { PERFORMANCE_TASKS } from "./window-input.js";
export type {
  BinaryWindow,
  MulticlassWindow,
  PerformanceOptions,
  PerformanceTask,
  RegressionWindow,
} from "./window-input.js";
export type { Label, LabelArray } from "./labels.js";
export type { Average, ZeroDivision } from "./precision-recall-f1.js";
export type {
  ComputableMetric,
  MetricEvidence,
  MetricResult,
  NotComputableMetric,
} from "./metric-result.js";
export type { SampleSummary } from "./sample-summary.js";
export { PerformanceInputError } from "./errors.js";
export { twoProportionZTest } from "./two-proportion-z-test.js";
export type { ProportionCounts } from "./two-proportion-z-test.js";
export { delongTest } from "./delong-test.js";
export type { AucWithVariance } from "./delong-test.js";
export { welchTTest } from "./welch-t-test.js";
export type { SignificanceOutcome, SignificanceTestName } from "./significance.js";
export { LOG_LOSS_EPSILON } from "./log-loss.js";
export { MAPE_EPSILON } from "./regression-errors.js";
