// The comparison the monitoring service runs once labels arrive: every metric of a task in the
// current window against the reference window, with the change, its significance test
// (two-proportion z, DeLong, Welch's t), the rows each side rests on and a degraded verdict.

import { delongTest } from "./delong-test.js";
import { PerformanceInputError } from "./errors.js";
import type { ComputableMetric, MetricResult } from "./metric-result.js";
import type { SignificanceOutcome, SignificanceTestName } from "./significance.js";
import { twoProportionZTest } from "./two-proportion-z-test.js";
import { welchTTest } from "./welch-t-test.js";
import { higherIsBetter as metricHigherIsBetter } from "../vocabulary/metric-names.js";
import type { PerformanceMetricName } from "./window-metrics.js";
import { computeResolved } from "./window-metrics.js";
import type {
  BinaryWindow,
  MulticlassWindow,
  PerformanceOptions,
  PerformanceTask,
  RegressionWindow,
} from "./window-input.js";
import { resolveOptions } from "./window-input.js";

export const DEFAULT_ALPHA = 0.05;

export interface ComparePerformanceOptions extends PerformanceOptions {
  /** Significance level of the degraded verdict (default 0.05). */
  alpha?: number;
  /** Smallest change (in the metric's units) that can count as degraded; default 0. */
  minimumDelta?: Partial<Record<PerformanceMetricName, number>>;
}

export interface MetricComparison {
  metric: PerformanceMetricName;
  /** Current window's value; null when not computable (see reason). */
  value: number | null;
  reference_value: number | null;
  /** value − reference_value. */
  delta: number | null;
  /** Direction: accuracy falling is bad (true), MAE rising is bad (false). */
  higher_is_better: boolean;
  test: SignificanceTestName | null;
  /** z or t of current − reference (for RMSE: of the mean squared errors). */
  statistic: number | null;
  degrees_of_freedom: number | null;
  /** Two-sided p-value of "no change"; null when no test applies or it is not computable. */
  p_value: number | null;
  /** Rows the current value rests on. */
  n: number;
  n_reference: number;
  /** p < alpha, the change goes the bad way and is at least the metric's minimumDelta. */
  degraded: boolean;
  /** Why a value, test or p-value is missing, or which convention set the p-value. */
  reason: string | null;
}

export interface PerformanceComparison {
  task: PerformanceTask;
  /** Labelled rows in the current and reference windows. */
  n: number;
  n_reference: number;
  alpha: number;
  metrics: MetricComparison[];
  /** Some metric is degraded. */
  degraded: boolean;
}

/** The test that fits both windows' evidence, or why there is none. */
function significance(
  current: ComputableMetric,
  reference: ComputableMetric,
): SignificanceOutcome | string {
  const currentEvidence = current.evidence;
  const referenceEvidence = reference.evidence;
  if (currentEvidence.kind === "proportion" && referenceEvidence.kind === "proportion") {
    return twoProportionZTest(currentEvidence, referenceEvidence);
  }
  if (currentEvidence.kind === "auc" && referenceEvidence.kind === "auc") {
    return delongTest(
      { auc: current.value, variance: currentEvidence.variance },
      { auc: reference.value, variance: referenceEvidence.variance },
    );
  }
  if (currentEvidence.kind === "row_mean" && referenceEvidence.kind === "row_mean") {
    return welchTTest(currentEvidence.summary, referenceEvidence.summary);
  }
  if (currentEvidence.kind === "none") return currentEvidence.note;
  if (referenceEvidence.kind === "none") return `reference: ${referenceEvidence.note}`;
  return "the windows' values are of different kinds: no test";
}

function compareMetric(
  metric: PerformanceMetricName,
  current: MetricResult,
  reference: MetricResult,
  alpha: number,
  minimumDelta: number,
): MetricComparison {
  const higherIsBetter = metricHigherIsBetter(metric);
  const comparison: MetricComparison = {
    metric,
    value: current.computable ? current.value : null,
    reference_value: reference.computable ? reference.value : null,
    delta: null,
    higher_is_better: higherIsBetter,
    test: null,
    statistic: null,
    degrees_of_freedom: null,
    p_value: null,
    n: current.n,
    n_reference: reference.n,
    degraded: false,
    reason: null,
  };
  if (!current.computable || !reference.computable) {
    const reasons: string[] = [];
    if (!current.computable) reasons.push(`current: ${current.reason}`);
    if (!reference.computable) reasons.push(`reference: ${reference.reason}`);
    comparison.reason = reasons.join("; ");
    return comparison;
  }
  comparison.delta = current.value - reference.value;
  const outcome = significance(current, reference);
  if (typeof outcome === "string") {
    comparison.reason = outcome;
    return comparison;
  }
  comparison.test = outcome.test;
  if (!outcome.computable) {
    comparison.reason = outcome.reason;
    return comparison;
  }
  comparison.statistic = outcome.statistic;
  comparison.degrees_of_freedom = outcome.degrees_of_freedom;
  comparison.p_value = outcome.p_value;
  comparison.reason = outcome.note;
  const worsened = higherIsBetter ? comparison.delta < 0 : comparison.delta > 0;
  comparison.degraded =
    outcome.p_value < alpha && worsened && Math.abs(comparison.delta) >= minimumDelta;
  return comparison;
}

function resolveAlpha(alpha: number | undefined): number {
  const resolved = alpha ?? DEFAULT_ALPHA;
  if (typeof resolved !== "number" || !(resolved > 0 && resolved < 1)) {
    throw new PerformanceInputError(
      "options.alpha",
      `must be a number in (0, 1), got ${String(resolved)}`,
    );
  }
  return resolved;
}

function resolveMinimumDelta(
  minimumDelta: ComparePerformanceOptions["minimumDelta"],
): Map<string, number> {
  const resolved = new Map<string, number>();
  for (const [metric, delta] of Object.entries(minimumDelta ?? {})) {
    if (typeof delta !== "number" || !(delta >= 0) || !Number.isFinite(delta)) {
      throw new PerformanceInputError(
        `options.minimumDelta.${metric}`,
        `must be a finite number ≥ 0, got ${String(delta)}`,
      );
    }
    resolved.set(metric, delta);
  }
  return resolved;
}

/**
 * Compare a current window's accuracy-decay metrics with a reference window's. Inputs are
 * plain or typed arrays; malformed input throws PerformanceInputError naming the field
 * (`current.y_pred[3]`, `options.threshold`, …); empty windows, single-class windows and other
 * undefined metrics come back with null values and a reason.
 */
export function comparePerformance(
  task: "binary",
  current: BinaryWindow,
  reference: BinaryWindow,
  options?: ComparePerformanceOptions,
): PerformanceComparison;
export function comparePerformance(
  task: "multiclass",
  current: MulticlassWindow,
  reference: MulticlassWindow,
  options?: ComparePerformanceOptions,
): PerformanceComparison;
export function comparePerformance(
  task: "regression",
  current: RegressionWindow,
  reference: RegressionWindow,
  options?: ComparePerformanceOptions,
): PerformanceComparison;
export function comparePerformance(
  task: PerformanceTask,
  current: BinaryWindow | MulticlassWindow | RegressionWindow,
  reference: BinaryWindow | MulticlassWindow | RegressionWindow,
  options?: ComparePerformanceOptions,
): PerformanceComparison;
export function comparePerformance(
  task: PerformanceTask,
  current: BinaryWindow | MulticlassWindow | RegressionWindow,
  reference: BinaryWindow | MulticlassWindow | RegressionWindow,
  options: ComparePerformanceOptions = {},
): PerformanceComparison {
  const alpha = resolveAlpha(options.alpha);
  const minimumDelta = resolveMinimumDelta(options.minimumDelta);
  const resolved = resolveOptions(options);
  const currentMetrics = computeResolved(task, current, resolved, "current");
  const referenceMetrics = computeResolved(task, reference, resolved, "reference");
  const metrics = currentMetrics.metrics.map((currentMetric, index) =>
    compareMetric(
      currentMetric.metric,
      currentMetric,
      referenceMetrics.metrics[index],
      alpha,
      minimumDelta.get(currentMetric.metric) ?? 0,
    ),
  );
  return {
    task,
    n: currentMetrics.n,
    n_reference: referenceMetrics.n,
    alpha,
    metrics,
    degraded: metrics.some((metric) => metric.degraded),
  };
}
