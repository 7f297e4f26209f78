// Public surface of the detectors library (pure statistics, no I/O): DESIGN's drift figures for
// numeric and categorical columns, their histogram (count-vector) forms for windows too large to
// hold in memory, the detector registry and the drift rules, and the result vocabulary (metric
// names, typed results, observations).

export type { CategoricalDrift, ColumnKind, NumericDrift, TestResult } from "./types.js";

// In-memory comparisons (what `check` reports per column).
export {
  compareNumeric,
  compareNumericPrepared,
  prepareNumericReference,
  type PreparedNumericReference,
} from "./compare-numeric.js";
export {
  alignCategoryCounts,
  compareCategorical,
  type AlignedCategoryCounts,
} from "./compare-categorical.js";

// Individual detectors.
export {
  BIN_QUANTILE_LEVELS,
  binCounts,
  binCountsSorted,
  binIndex,
  linearQuantileSorted,
  referenceBinEdges,
} from "./binning/quantile-bins.js";
export { PSI_PROPORTION_FLOOR, populationStabilityIndex } from "./psi.js";
export { jensenShannonDistance } from "./jensen-shannon.js";
export { chiSquaredTest, type ChiSquaredResult } from "./chi-squared.js";
export {
  KS_MAX_EXACT_SIZE,
  asymptoticKsPValue,
  ksTestFromStatistic,
  ksTestSorted,
  type KsMethod,
  type KsTestResult,
} from "./ks/ks-test.js";
export { ksStatisticSorted } from "./ks/two-sample-statistic.js";
export { kolmogorovSurvival } from "./ks/kolmogorov-distribution.js";
export {
  normedWasserstein,
  populationStandardDeviation,
  wassersteinDistanceSorted,
} from "./wasserstein.js";
export { chiSquaredSurvival, regularizedUpperGamma } from "./math/incomplete-gamma.js";
export { sortFloat64 } from "./math/radix-sort.js";

// Histogram forms (windows too large for memory): count vectors in, figures (with bounds) out.
// PSI, JS and chi-squared take count vectors directly (populationStabilityIndex,
// jensenShannonDistance, chiSquaredTest above; compareCategorical takes category counts).
export {
  DEFAULT_FINE_BIN_COUNT,
  coarsenCounts,
  fineQuantileEdges,
  validateHistogram,
  type NumericHistogram,
} from "./histogram/numeric-histogram.js";
export { ksFromHistogram, type HistogramKsResult } from "./histogram/ks-histogram.js";
export {
  wassersteinFromHistogram,
  type HistogramWassersteinResult,
  type ValueRange,
} from "./histogram/wasserstein-histogram.js";
export {
  compareNumericHistogram,
  type Bounds,
  type NumericHistogramDrift,
  type NumericHistogramInput,
} from "./histogram/compare-numeric-histogram.js";

// Registry and rules.
export {
  getDetector,
  isDrift,
  listDetectors,
  type DetectorDescriptor,
  type DetectorDirection,
  type DetectorInput,
  type DetectorOutput,
} from "./registry.js";
export {
  DEFAULT_DRIFT_SHARE_THRESHOLD,
  SMALL_REFERENCE_ROWS,
  defaultTestName,
  evaluateDrift,
  type ColumnInput,
  type ColumnRuleOverride,
  type ColumnVerdict,
  type DatasetVerdict,
  type DriftRuleOptions,
} from "./rules/evaluate-drift.js";
export { benjaminiHochberg } from "./rules/benjamini-hochberg.js";
export {
  comparePerformance,
  computeWindowMetrics,
  PerformanceInputError,
  type BinaryWindow,
  type ComparePerformanceOptions,
  type MetricComparison,
  type MetricResult,
  type MulticlassWindow,
  type PerformanceComparison,
  type PerformanceMetricName,
  type PerformanceOptions,
  type PerformanceTask,
  type RegressionWindow,
  type WindowMetrics,
} from "./performance/index.js";

// Performance estimation before labels arrive (confidence-based): fit on a labelled reference,
// estimate each window from its scores.
export {
  ESTIMATED_METRICS,
  fitEstimator,
  type BinaryEstimator,
  type EstimatorOptions,
  type MetricEstimate,
  type PerformanceEstimate,
  type ReferenceSpread,
} from "./performance/estimation/index.js";

// Result vocabulary: the one place metric names are spelled; verdicts → results → observations.
export {
  AVERAGES,
  DRIFT_METRIC,
  DRIFT_METRIC_NAMES,
  DRIFT_SHARE_METRIC,
  DRIFT_TEST,
  ESTIMABLE_METRICS,
  ESTIMATED_METRIC_NAMES,
  HEALTH_METRIC,
  HEALTH_METRICS,
  LABEL_COVERAGE_METRIC,
  LOWER_IS_BETTER_METRICS,
  NO_ESTIMATE,
  OBSERVATION_KINDS,
  PERFORMANCE_METRIC,
  PSI_REPORT_THRESHOLD,
  QUALITY_METRIC,
  RESULT_KINDS,
  SERVICE_MODEL,
  VOCABULARY_NAMES,
  VOLUME_METRIC,
  averagedMetric,
  columnDriftResults,
  crossedThreshold,
  decidingJudgement,
  driftFigures,
  driftReason,
  driftShareResult,
  estimateReason,
  estimatedMetric,
  estimatedPerformanceResults,
  higherIsBetter,
  isEstimateReason,
  labelCoverageResult,
  performanceResults,
  qualityResult,
  realizedMetricOf,
  toObservation,
  toObservations,
  volumeResult,
  type Average,
  type DriftFigureResult,
  type DriftMetricName,
  type DriftShareResult,
  type DriftTableResult,
  type DriftTestName,
  type EstimableMetricName,
  type EstimatedMetricName,
  type EstimatedPerformanceResult,
  type FigureJudgement,
  type HealthMetricName,
  type LabelCoverageResult,
  type Observation,
  type ObservationKind,
  type PerformanceResult,
  type PerformanceTableResult,
  type QualityMetricName,
  type QualityResult,
  type ResultBatch,
  type ResultKind,
  type VolumeMetricName,
  type VolumeResult,
  type WindowResult,
} from "./vocabulary/index.js";
