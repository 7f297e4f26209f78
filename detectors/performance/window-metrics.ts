// All accuracy-decay metrics of one labelled window for a task: binary (accuracy, precision,
// recall, F1, ROC AUC, log loss), multiclass (accuracy, averaged precision/recall/F1,
// one-vs-rest ROC AUC, log loss) and regression (MAE, RMSE, MAPE). Validates the window first.

import { accuracyFromCounts } from "./accuracy.js";
import { countByClass } from "./confusion-counts.js";
import { PerformanceInputError } from "./errors.js";
import type { Label } from "./labels.js";
import {
  checkBinaryLabelSet,
  distinctLabels,
  encodeClassIndices,
  encodePositives,
  firstLabelType,
  sortLabels,
} from "./labels.js";
import { binaryLogLoss, multiclassLogLoss } from "./log-loss.js";
import type { MetricResult } from "./metric-result.js";
import { notComputable } from "./metric-result.js";
import { finiteNumbers, requireArray, requireSameLength } from "./numeric-input.js";
import { averagedPrecisionRecallF1, binaryPrecisionRecallF1 } from "./precision-recall-f1.js";
import { regressionErrors } from "./regression-errors.js";
import { binaryRocAuc, oneVsRestRocAuc } from "./roc-auc.js";
import { argmaxRows, thresholdScores } from "./score-threshold.js";
import type {
  BinaryWindow,
  MulticlassWindow,
  PerformanceOptions,
  PerformanceTask,
  RegressionWindow,
  ResolvedOptions,
} from "./window-input.js";
import { PERFORMANCE_TASKS, requireWindowObject, resolveOptions } from "./window-input.js";
import {
  PERFORMANCE_METRIC as METRIC,
  averagedMetric,
  type PerformanceMetricName,
} from "../vocabulary/metric-names.js";

export type {
  BinaryMetricName,
  MulticlassMetricName,
  PerformanceMetricName,
  RegressionMetricName,
} from "../vocabulary/metric-names.js";

/** One metric's result with its name. */
export type NamedMetricResult = MetricResult & { metric: PerformanceMetricName };

export interface WindowMetrics {
  task: PerformanceTask;
  /** Labelled rows in the window. */
  n: number;
  metrics: NamedMetricResult[];
}

const noScores = (n: number): MetricResult => notComputable("no scores given", n);

function named(metric: PerformanceMetricName, result: MetricResult): NamedMetricResult {
  return { metric, ...result };
}

/** Predicted positives: from y_pred when given, else score ≥ threshold. */
function binaryPredictions(
  yPred: BinaryWindow["y_true"] | null,
  scores: Float64Array | null,
  options: ResolvedOptions,
  field: string,
): Uint8Array {
  if (yPred !== null) return encodePositives(yPred, options.positiveLabel);
  if (scores !== null) return thresholdScores(scores, options.threshold);
  throw new PerformanceInputError(field, "needs y_pred or scores");
}

function binaryMetrics(input: unknown, options: ResolvedOptions, field: string): WindowMetrics {
  const window = requireWindowObject(input, field);
  const yTrue = requireArray(window.y_true, `${field}.y_true`) as BinaryWindow["y_true"];
  const n = yTrue.length;
  const yPred =
    window.y_pred === undefined
      ? null
      : (requireArray(window.y_pred, `${field}.y_pred`) as BinaryWindow["y_true"]);
  const scores =
    window.scores === undefined
      ? null
      : finiteNumbers(window.scores as ArrayLike<number>, `${field}.scores`);
  if (yPred === null && scores === null)
    throw new PerformanceInputError(field, "needs y_pred or scores");
  if (yPred !== null) requireSameLength(yPred.length, n, `${field}.y_pred`, `${field}.y_true`);
  if (scores !== null) requireSameLength(scores.length, n, `${field}.scores`, `${field}.y_true`);

  const labelArrays = [{ field: `${field}.y_true`, labels: yTrue }];
  if (yPred !== null) labelArrays.push({ field: `${field}.y_pred`, labels: yPred });
  const positiveType = typeof options.positiveLabel;
  const labels = distinctLabels(
    labelArrays,
    positiveType,
    `options.positiveLabel is a ${positiveType}`,
  );
  checkBinaryLabelSet(
    labels,
    options.positiveLabel,
    yPred === null ? `${field}.y_true` : `${field}.y_true/y_pred`,
  );

  const isPositive = encodePositives(yTrue, options.positiveLabel);
  const predictedPositive = binaryPredictions(yPred, scores, options, field);
  const counts = countByClass(isPositive, predictedPositive, 2);
  const { precision, recall, f1 } = binaryPrecisionRecallF1(counts, options.zeroDivision);
  return {
    task: "binary",
    n,
    metrics: [
      named(METRIC.accuracy, accuracyFromCounts(counts)),
      named(METRIC.precision, precision),
      named(METRIC.recall, recall),
      named(METRIC.f1, f1),
      named(METRIC.rocAuc, scores === null ? noScores(n) : binaryRocAuc(isPositive, scores)),
      named(METRIC.logLoss, scores === null ? noScores(n) : binaryLogLoss(isPositive, scores)),
    ],
  };
}

function multiclassScoreRows(
  scores: unknown,
  n: number,
  classCount: number,
  field: string,
): Float64Array[] {
  const rows = requireArray(scores, field);
  requireSameLength(rows.length, n, field, field.replace(/scores$/, "y_true"));
  const parsed: Float64Array[] = [];
  for (let i = 0; i < n; i += 1) {
    const row = finiteNumbers(
      requireArray(rows[i], `${field}[${i}]`) as ArrayLike<number>,
      `${field}[${i}]`,
    );
    if (row.length !== classCount) {
      throw new PerformanceInputError(
        `${field}[${i}]`,
        `has ${row.length} scores but there are ${classCount} classes`,
      );
    }
    parsed.push(row);
  }
  return parsed;
}

function multiclassMetrics(input: unknown, options: ResolvedOptions, field: string): WindowMetrics {
  const window = requireWindowObject(input, field);
  const yTrue = requireArray(window.y_true, `${field}.y_true`) as MulticlassWindow["y_true"];
  const n = yTrue.length;
  const yPred =
    window.y_pred === undefined
      ? null
      : (requireArray(window.y_pred, `${field}.y_pred`) as MulticlassWindow["y_true"]);
  const hasScores = window.scores !== undefined;
  if (yPred === null && !hasScores)
    throw new PerformanceInputError(field, "needs y_pred or scores");
  if (hasScores && options.classes === null) {
    throw new PerformanceInputError(
      "options.classes",
      "is required with multiclass scores: it names the score columns",
    );
  }
  if (yPred !== null) requireSameLength(yPred.length, n, `${field}.y_pred`, `${field}.y_true`);

  const labelArrays = [{ field: `${field}.y_true`, labels: yTrue }];
  if (yPred !== null) labelArrays.push({ field: `${field}.y_pred`, labels: yPred });
  const { type, source } =
    options.classes !== null
      ? {
          type: typeof options.classes[0],
          source: `options.classes holds ${typeof options.classes[0]}s`,
        }
      : firstLabelType(labelArrays);
  const seen = distinctLabels(labelArrays, type, source);
  const classes = options.classes ?? sortLabels(seen);
  const classIndex = new Map<Label, number>(classes.map((label, index) => [label, index]));
  const trueClass = encodeClassIndices(yTrue, classIndex, `${field}.y_true`);
  const scoreRows = hasScores
    ? multiclassScoreRows(window.scores, n, classes.length, `${field}.scores`)
    : null;
  const predictedClass =
    yPred !== null
      ? encodeClassIndices(yPred, classIndex, `${field}.y_pred`)
      : argmaxRows(scoreRows ?? []);

  const counts = countByClass(trueClass, predictedClass, classes.length);
  const { precision, recall, f1 } = averagedPrecisionRecallF1(
    counts,
    options.average,
    options.zeroDivision,
  );
  return {
    task: "multiclass",
    n,
    metrics: [
      named(METRIC.accuracy, accuracyFromCounts(counts)),
      named(averagedMetric(METRIC.precision, options.average), precision),
      named(averagedMetric(METRIC.recall, options.average), recall),
      named(averagedMetric(METRIC.f1, options.average), f1),
      named(
        METRIC.rocAucOvr,
        scoreRows === null ? noScores(n) : oneVsRestRocAuc(trueClass, scoreRows, classes),
      ),
      named(
        METRIC.logLoss,
        scoreRows === null ? noScores(n) : multiclassLogLoss(trueClass, scoreRows),
      ),
    ],
  };
}

function regressionMetrics(input: unknown, field: string): WindowMetrics {
  const window = requireWindowObject(input, field);
  const targets = finiteNumbers(
    requireArray(window.y_true, `${field}.y_true`) as ArrayLike<number>,
    `${field}.y_true`,
  );
  const predictions = finiteNumbers(
    requireArray(window.y_pred, `${field}.y_pred`) as ArrayLike<number>,
    `${field}.y_pred`,
  );
  requireSameLength(predictions.length, targets.length, `${field}.y_pred`, `${field}.y_true`);
  const { mae, rmse, mape } = regressionErrors(targets, predictions);
  return {
    task: "regression",
    n: targets.length,
    metrics: [named(METRIC.mae, mae), named(METRIC.rmse, rmse), named(METRIC.mape, mape)],
  };
}

/**
 * Every metric of `task` for one window. `field` prefixes error messages (e.g. "current").
 * Throws PerformanceInputError on malformed input; empty windows and undefined metrics come
 * back as "not computable" entries.
 */
export function computeWindowMetrics(
  task: "binary",
  window: BinaryWindow,
  options?: PerformanceOptions,
  field?: string,
): WindowMetrics;
export function computeWindowMetrics(
  task: "multiclass",
  window: MulticlassWindow,
  options?: PerformanceOptions,
  field?: string,
): WindowMetrics;
export function computeWindowMetrics(
  task: "regression",
  window: RegressionWindow,
  options?: PerformanceOptions,
  field?: string,
): WindowMetrics;
export function computeWindowMetrics(
  task: PerformanceTask,
  window: BinaryWindow | MulticlassWindow | RegressionWindow,
  options?: PerformanceOptions,
  field?: string,
): WindowMetrics;
export function computeWindowMetrics(
  task: PerformanceTask,
  window: BinaryWindow | MulticlassWindow | RegressionWindow,
  options: PerformanceOptions = {},
  field = "window",
): WindowMetrics {
  return computeResolved(task, window, resolveOptions(options), field);
}

/** computeWindowMetrics with options already resolved (shared by comparePerformance). */
export function computeResolved(
  task: PerformanceTask,
  window: unknown,
  options: ResolvedOptions,
  field: string,
): WindowMetrics {
  switch (task) {
    case "binary":
      return binaryMetrics(window, options, field);
    case "multiclass":
      return multiclassMetrics(window, options, field);
    case "regression":
      return regressionMetrics(window, field);
    default:
      throw new PerformanceInputError(
        "task",
        `must be one of ${PERFORMANCE_TASKS.join(", ")}, got ${JSON.stringify(task)}`,
      );
  }
}
