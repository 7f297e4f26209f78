// Public surface of performance estimation without labels (confidence-based, CBPE-style): fit on
// a labelled reference, estimate accuracy, precision, recall, F1 and ROC AUC per chunk from
// calibrated scores, with sampling-error bands, reference thresholds and alerts.

export { fitEstimator } from "./fit-estimator.js";
export type { BinaryReference, Estimator, MulticlassReference } from "./fit-estimator.js";
export { fitBinaryEstimator } from "./binary-estimator.js";
export type { BinaryEstimator } from "./binary-estimator.js";
export { fitMulticlassEstimator } from "./multiclass-estimator.js";
export type { MulticlassEstimator } from "./multiclass-estimator.js";
export type { BinaryData, MulticlassData } from "./inputs.js";
export { DEFAULT_BAND_SIGMAS, DEFAULT_THRESHOLD_SIGMAS } from "./estimator-options.js";
export type { EstimatorOptions, ResolvedEstimatorOptions } from "./estimator-options.js";
export { ESTIMATED_METRICS } from "./metric-types.js";
export type {
  EstimatedMetricName,
  MetricEstimate,
  MetricValues,
  MetricsWithErrors,
  PerformanceEstimate,
  RealizedMetric,
} from "./metric-types.js";
export { FALLBACK_REFERENCE_CHUNKS } from "./reference-spread.js";
export type { MetricSpread, ReferenceSpread } from "./reference-spread.js";
export {
  applyCalibrator,
  CALIBRATION_MODES,
  chooseCalibrator,
  DEFAULT_CALIBRATION_FOLDS,
} from "./calibrator.js";
export type {
  CalibrationEvidence,
  CalibrationMode,
  CalibrationOptions,
  Calibrator,
} from "./calibrator.js";
export { fitIsotonic, predictIsotonic } from "./isotonic.js";
export type { IsotonicFit } from "./isotonic.js";
export { CALIBRATION_BINS, calibrationBin, expectedCalibrationError } from "./calibration-error.js";
export { binaryMetrics } from "./binary-metrics.js";
export type { BinaryRows } from "./binary-metrics.js";
export { multiclassMetrics } from "./multiclass-metrics.js";
export type { MulticlassRows } from "./multiclass-metrics.js";
export { expectedAuc } from "./expected-auc.js";
export { argsortAscending } from "./argsort.js";
export { PerformanceInputError } from "../errors.js";
