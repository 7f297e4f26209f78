// A column's comparison and verdict as typed drift results: every figure the comparison has,
// the deciding test's figure carrying the verdict (the BH-adjusted p-value when the correction
// is on), figures with a report threshold (PSI) judged at it, the rest informational; plus the
// data-quality, volume and drift-share results of a window and the reason text of a drift.
import { getDetector, isDrift, listDetectors, type DetectorDescriptor } from "../registry.js";
import type { ColumnVerdict } from "../rules/evaluate-drift.js";
import type { CategoricalDrift, NumericDrift } from "../types.js";
import {
  DRIFT_METRIC,
  DRIFT_SHARE_METRIC,
  type DriftMetricName,
  type QualityMetricName,
  type VolumeMetricName,
} from "./metric-names.js";
import type {
  DriftFigureResult,
  DriftShareResult,
  FigureJudgement,
  QualityResult,
  VolumeResult,
} from "./results.js";

/** Every figure of a column's comparison, in result order. */
export function driftFigures(result: NumericDrift | CategoricalDrift): [DriftMetricName, number][] {
  if ("ks" in result) {
    return [
      [DRIFT_METRIC.psi, result.psi],
      [DRIFT_METRIC.js, result.js],
      [DRIFT_METRIC.ksStatistic, result.ks.statistic],
      [DRIFT_METRIC.ksPValue, result.ks.p_value],
      [DRIFT_METRIC.wasserstein, result.wasserstein],
      [DRIFT_METRIC.wassersteinNormed, result.wasserstein_normed],
    ];
  }
  return [
    [DRIFT_METRIC.psi, result.psi],
    [DRIFT_METRIC.js, result.js],
    [DRIFT_METRIC.chi2Statistic, result.chi2.statistic],
    [DRIFT_METRIC.chi2PValue, result.chi2.p_value],
  ];
}

/** Detectors judged on every column at their report threshold, by the metric they report. */
const REPORTED: ReadonlyMap<DriftMetricName, DetectorDescriptor> = new Map(
  listDetectors()
    .filter((descriptor) => descriptor.reportThreshold !== null)
    .map((descriptor) => [descriptor.decidingMetric, descriptor]),
);

/** The drift results of one feature: its comparison's figures, judged per the verdict. */
export function columnDriftResults(
  feature: string,
  comparison: NumericDrift | CategoricalDrift,
  verdict: ColumnVerdict,
): DriftFigureResult[] {
  const deciding = getDetector(verdict.test).decidingMetric;
  return driftFigures(comparison).map(([metric, value]): DriftFigureResult => {
    if (metric === deciding) {
      const judgement: FigureJudgement = {
        role: "deciding",
        threshold: verdict.threshold,
        drifted: verdict.drifted,
      };
      return { kind: "drift", feature, metric, value: verdict.value, judgement };
    }
    const reported = REPORTED.get(metric);
    const threshold = reported?.reportThreshold ?? null;
    const judgement: FigureJudgement | null =
      reported === undefined || threshold === null
        ? null
        : { role: "report", threshold, drifted: isDrift(reported, value, threshold) };
    return { kind: "drift", feature, metric, value, judgement };
  });
}

/** Why a drifted column counts, e.g. "income: ks_p_value 0.001 < 0.05". */
export function driftReason(feature: string, verdict: ColumnVerdict): string {
  const detector = getDetector(verdict.test);
  const relation = detector.direction === "p_value" ? "<" : "≥";
  return `${feature}: ${detector.decidingMetric} ${formatFigure(verdict.value)} ${relation} ${verdict.threshold}`;
}

function formatFigure(value: number): string {
  return Math.abs(value) >= 0.001 || value === 0 ? value.toFixed(3) : value.toExponential(2);
}

export function qualityResult(
  feature: string,
  metric: QualityMetricName,
  value: number,
): QualityResult {
  return { kind: "data_quality", feature, metric, value };
}

export function volumeResult(metric: VolumeMetricName, value: number): VolumeResult {
  return { kind: "volume", metric, value };
}

export function driftShareResult(
  value: number,
  threshold: number,
  drifted: boolean,
): DriftShareResult {
  return { kind: DRIFT_SHARE_METRIC, metric: DRIFT_SHARE_METRIC, value, threshold, drifted };
}
