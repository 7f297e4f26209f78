// The typed results of one window's evaluation — drift figures, data quality, volume, drift
// share, performance (realized and estimated) and label coverage — and how each becomes an alert
// observation. "No threshold" is null here; storage formats that write 0 for it convert at their
// own edge.
import type {
  DriftMetricName,
  EstimatedMetricName,
  PerformanceMetricName,
  QualityMetricName,
  VolumeMetricName,
} from "./metric-names.js";
import { DRIFT_SHARE_METRIC, LABEL_COVERAGE_METRIC } from "./metric-names.js";
import type { Observation } from "./observation.js";

/** How a drift figure was judged: as the column's deciding test, or as a report (PSI). */
export interface FigureJudgement {
  readonly role: "deciding" | "report";
  readonly threshold: number;
  readonly drifted: boolean;
}

/** One drift figure of one feature; `judgement` null: reported without a threshold. */
export interface DriftFigureResult {
  readonly kind: "drift";
  readonly feature: string;
  readonly metric: DriftMetricName;
  readonly value: number;
  readonly judgement: FigureJudgement | null;
}

export interface QualityResult {
  readonly kind: "data_quality";
  readonly feature: string;
  readonly metric: QualityMetricName;
  readonly value: number;
}

/** Model-level: events in the window, or their ratio to the reference's rate. */
export interface VolumeResult {
  readonly kind: "volume";
  readonly metric: VolumeMetricName;
  readonly value: number;
}

/** Model-level: share of drifted features (NaN when no feature could be judged). */
export interface DriftShareResult {
  readonly kind: typeof DRIFT_SHARE_METRIC;
  readonly metric: typeof DRIFT_SHARE_METRIC;
  readonly value: number;
  readonly threshold: number;
  readonly drifted: boolean;
}

/** The results a window's drift step reports (drift_results rows). */
export type DriftTableResult = DriftFigureResult | QualityResult | VolumeResult | DriftShareResult;

/** One performance metric against the reference window (null: not computable there). */
export interface PerformanceResult {
  readonly kind: "performance";
  readonly metric: PerformanceMetricName;
  readonly value: number;
  readonly referenceValue: number | null;
  /** Rows the current value rests on. */
  readonly nLabelled: number;
  readonly pValue: number | null;
  readonly degraded: boolean;
}

/** Share of the window's events with a label (NaN for an empty window). */
export interface LabelCoverageResult {
  readonly kind: typeof LABEL_COVERAGE_METRIC;
  readonly metric: typeof LABEL_COVERAGE_METRIC;
  readonly value: number;
  readonly referenceValue: number | null;
  readonly nLabelled: number;
}

/**
 * A performance metric estimated before the window's labels arrive (binary classifiers, from
 * calibrated scores): the estimate, its sampling-error band, the reference's band for windows of
 * this size and whether the estimate is outside it (`alert`, the verdict a rule without a
 * threshold uses). Nulls: not computable (a band without an estimate, thresholds from a
 * reference too small to measure its spread).
 */
export interface EstimatedPerformanceResult {
  readonly kind: "performance_estimated";
  readonly metric: EstimatedMetricName;
  readonly value: number;
  /** value ∓ 3 standard errors of the realized metric around it, within [0, 1]. */
  readonly lower: number | null;
  readonly upper: number | null;
  /** The reference's mean ∓ 3σ of the realized metric over chunks of the window's size. */
  readonly thresholdLower: number | null;
  readonly thresholdUpper: number | null;
  /** The value is outside [thresholdLower, thresholdUpper]. */
  readonly alert: boolean;
  /** The reference's mean of the realized metric over chunks of the window's size. */
  readonly referenceValue: number | null;
  /** Labelled rows of the window when it was estimated (0: labels not yet in). */
  readonly nLabelled: number;
}

/** The results a window's performance step reports (performance_results rows). */
export type PerformanceTableResult =
  LabelCoverageResult | PerformanceResult | EstimatedPerformanceResult;

export type WindowResult = DriftTableResult | PerformanceTableResult;

const finite = (value: number | null): value is number => value !== null && Number.isFinite(value);

/** The alert engine's view of a result (model-level results carry no feature). */
export function toObservation(result: WindowResult): Observation {
  switch (result.kind) {
    case "drift":
      return {
        kind: result.kind,
        metric: result.metric,
        feature: result.feature,
        value: result.value,
        ...(result.judgement !== null
          ? { threshold: result.judgement.threshold, drifted: result.judgement.drifted }
          : {}),
      };
    case "data_quality":
      return {
        kind: result.kind,
        metric: result.metric,
        feature: result.feature,
        value: result.value,
      };
    case "volume":
      return { kind: result.kind, metric: result.metric, value: result.value };
    case DRIFT_SHARE_METRIC:
      return {
        kind: result.kind,
        metric: result.metric,
        value: result.value,
        threshold: result.threshold,
        drifted: result.drifted,
      };
    case LABEL_COVERAGE_METRIC:
      return {
        kind: result.kind,
        metric: result.metric,
        value: result.value,
        nLabelled: result.nLabelled,
      };
    case "performance":
      return {
        kind: result.kind,
        metric: result.metric,
        value: result.value,
        ...(finite(result.referenceValue) ? { referenceValue: result.referenceValue } : {}),
        nLabelled: result.nLabelled,
        ...(finite(result.pValue) ? { pValue: result.pValue } : {}),
      };
    case "performance_estimated": {
      const threshold = crossedThreshold(result);
      return {
        kind: result.kind,
        metric: result.metric,
        value: result.value,
        ...(threshold !== null ? { threshold } : {}),
        drifted: result.alert,
        ...(finite(result.referenceValue) ? { referenceValue: result.referenceValue } : {}),
        nLabelled: result.nLabelled,
      };
    }
  }
}

/** The bound an estimate is judged against: the upper one when above it, else the lower one. */
export function crossedThreshold(result: EstimatedPerformanceResult): number | null {
  const { value, thresholdLower, thresholdUpper } = result;
  if (thresholdUpper !== null && value > thresholdUpper) return thresholdUpper;
  return thresholdLower ?? thresholdUpper;
}

/** Observations of the results that have a value (NaN results are stored, not alerted on). */
export function toObservations(results: readonly WindowResult[]): Observation[] {
  return results.filter((result) => Number.isFinite(result.value)).map(toObservation);
}

/** The feature's verdict a feature-level drift gauge shows: its deciding figure's. */
export function decidingJudgement(result: WindowResult): FigureJudgement | null {
  return result.kind === "drift" && result.judgement?.role === "deciding" ? result.judgement : null;
}
