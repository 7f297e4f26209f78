// Accuracy decay of one window: its labelled rows (late labels joined, latest per event) against
// the reference's labelled rows through detectors/performance `comparePerformance`, plus label
// coverage. Nothing is judged on an empty side; the reasons say why.
import {
  comparePerformance,
  labelCoverageResult,
  performanceResults,
  PerformanceInputError,
  type BinaryWindow,
  type MulticlassWindow,
  type PerformanceTableResult,
  type RegressionWindow,
} from "../../detectors/index.js";
import type { ModelConfig } from "../config/index.js";
import { type SqlEngine, sql } from "../store/index.js";
import { labelledSource, type RowSource } from "./row-source.js";
import type { StoredAggregates } from "./stored-window.js";
import { labelArrivals } from "./window-data.js";

export interface LabelledRow {
  prediction: string | null;
  prediction_value: number | null;
  y_label: string | null;
  y_label_value: number | null;
}

export interface PerformanceOutcome {
  /** Label coverage, then each metric with a value in the window. */
  readonly results: PerformanceTableResult[];
  readonly nLabelled: number;
  readonly degraded: boolean;
  readonly reasons: string[];
}

/** A side of the comparison: its labelled rows (prediction possibly missing) and total rows. */
export interface LabelledSide {
  readonly labelled: readonly LabelledRow[];
  readonly rows: number;
}

/** Rows of a source that carry a label (late labels joined, latest per event). */
export async function labelledRows(
  engine: SqlEngine,
  database: string,
  source: RowSource,
): Promise<LabelledRow[]> {
  return engine.query<LabelledRow>(
    sql`SELECT prediction, prediction_value, y_label, y_label_value
  FROM ${labelledSource(database, source)}
  WHERE isNotNull(y_label) OR isNotNull(y_label_value)`,
  );
}

/**
 * The source's labelled rows; none without reading them when its stored census says no row
 * carries a label and the model has no late label at all (the usual state of a fresh window).
 */
export async function labelledRowsOf(
  engine: SqlEngine,
  database: string,
  source: RowSource,
  stored: StoredAggregates | undefined,
): Promise<LabelledRow[]> {
  if (stored !== undefined && stored.labelledRows === 0) {
    const { count } = await labelArrivals(engine, database, source.model);
    if (count === 0) return [];
  }
  return labelledRows(engine, database, source);
}

const hasPrediction = (row: LabelledRow) =>
  row.prediction !== null || row.prediction_value !== null;

export function evaluateWindowPerformance(
  model: ModelConfig,
  current: LabelledSide,
  reference: LabelledSide,
): PerformanceOutcome {
  const nLabelled = current.labelled.length;
  const results: PerformanceTableResult[] = [
    labelCoverageResult(
      { labelled: nLabelled, rows: current.rows },
      { labelled: reference.labelled.length, rows: reference.rows },
    ),
  ];
  const reasons: string[] = [];
  const currentRows = current.labelled.filter(hasPrediction);
  const referenceRows = reference.labelled.filter(hasPrediction);
  if (currentRows.length === 0 || referenceRows.length === 0) {
    return { results, nLabelled, degraded: false, reasons };
  }
  let comparison;
  try {
    const options = {
      threshold: model.threshold,
      ...(model.positiveLabel !== undefined ? { positiveLabel: model.positiveLabel } : {}),
    };
    comparison = comparePerformance(
      model.task,
      toWindow(model.task, currentRows),
      toWindow(model.task, referenceRows),
      options,
    );
  } catch (error) {
    if (!(error instanceof PerformanceInputError)) throw error;
    reasons.push(`performance not computable: ${error.message}`);
    return { results, nLabelled, degraded: false, reasons };
  }
  results.push(...performanceResults(comparison));
  for (const metric of comparison.metrics) {
    if (metric.value === null || !metric.degraded) continue;
    reasons.push(
      `${metric.metric} ${metric.value.toFixed(3)} vs reference ${metric.reference_value?.toFixed(3)} (p=${metric.p_value?.toExponential(2)}, n=${metric.n})`,
    );
  }
  return { results, nLabelled, degraded: comparison.degraded, reasons };
}

const labelOf = (row: LabelledRow): string | number => row.y_label_value ?? row.y_label ?? "";
const predictedLabelOf = (row: LabelledRow): string | number =>
  row.prediction_value ?? row.prediction ?? "";

function toWindow(
  task: ModelConfig["task"],
  rows: readonly LabelledRow[],
): BinaryWindow | MulticlassWindow | RegressionWindow {
  if (task === "regression") {
    const usable = rows.filter(
      (row) => row.y_label_value !== null && row.prediction_value !== null,
    );
    return {
      y_true: Float64Array.from(usable, (row) => row.y_label_value!),
      y_pred: Float64Array.from(usable, (row) => row.prediction_value!),
    };
  }
  const y_true = rows.map(labelOf);
  if (task === "binary" && rows.every((row) => row.prediction_value !== null)) {
    const scores = Float64Array.from(rows, (row) => row.prediction_value!);
    if (scores.every((score) => score >= 0 && score <= 1)) return { y_true, scores };
  }
  return { y_true, y_pred: rows.map(predictedLabelOf) };
}
