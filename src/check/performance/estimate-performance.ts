// Performance estimation in `check` (DESIGN "check chunks and performance estimation"): fit the
// confidence-based estimator on the reference's labelled rows, then estimate the whole current
// file and each chunk from its scores — with the realized metrics beside the estimates when the
// current rows have labels (only the labelled rows count for those).
import {
  ESTIMATED_METRICS,
  type EstimatorOptions,
  fitEstimator,
  type MetricEstimate,
  type PerformanceEstimate,
  PerformanceInputError,
} from "../../../detectors/index.js";
import type { ChunkSpec } from "../chunks/row-chunker.js";
import { CheckInputError } from "../errors.js";
import type { FileColumns } from "../read-plan.js";
import type { PerformanceFigure, PerformanceReport } from "../report.js";
import type { RowColumnRequest } from "../row-columns.js";
import {
  checkBinaryLabels,
  checkClasses,
  checkClassesLabelled,
  LabelCodes,
  labelKey,
  type ModelRows,
  modelRows,
  usableRow,
} from "./model-rows.js";
import type { PerformanceSpec } from "./performance-flags.js";

/** What the readers keep row by row for a spec. */
export function performanceRequests(spec: PerformanceSpec): RowColumnRequest[] {
  const scoreFlag = spec.task === "binary" ? "--score-column" : "--score-columns";
  const requests: RowColumnRequest[] = spec.scores.map((score) => ({
    name: score.column,
    kind: "number",
    flag: scoreFlag,
  }));
  requests.push({ name: spec.labelColumn, kind: "label", flag: "--label-column" });
  if (spec.predictionColumn !== undefined) {
    requests.push({ name: spec.predictionColumn, kind: "label", flag: "--prediction-column" });
  }
  return requests;
}

/** The estimator's inputs for some rows of one file (labels and predictions as LabelCodes). */
interface Inputs {
  scores?: Float64Array;
  scoreColumns?: Float64Array[];
  predictions?: Float64Array;
  labels?: Float64Array;
}

interface ChunkEstimator {
  estimate(inputs: Inputs): PerformanceEstimate;
}

export interface PerformanceRun {
  /** The whole current file's performance. */
  whole: PerformanceReport | undefined;
  /** The performance of the chunk with this id (undefined, with a warning, when it has no rows). */
  chunk(id: number, index: number): PerformanceReport | undefined;
  warnings: string[];
}

function pick(values: Float64Array, rows: Int32Array): Float64Array {
  const picked = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) picked[i] = values[rows[i]!]!;
  return picked;
}

function gather(
  model: ModelRows,
  rows: Int32Array,
  task: PerformanceSpec["task"],
  codes: LabelCodes,
): Inputs {
  const columns = model.scores.map((column) => pick(column, rows));
  const inputs: Inputs = task === "binary" ? { scores: columns[0]! } : { scoreColumns: columns };
  if (model.predictions !== undefined) inputs.predictions = codes.of(model.predictions, rows);
  return inputs;
}

function figure(metric: MetricEstimate | PerformanceFigure): PerformanceFigure {
  return { ...metric };
}

/** The estimator's result in the report's shape, metrics in vocabulary order. */
function toReport(
  estimate: PerformanceEstimate,
  realized: PerformanceEstimate["realized"],
): Pick<PerformanceReport, "estimated" | "realized"> {
  const estimated: Record<string, PerformanceFigure> = {};
  for (const metric of ESTIMATED_METRICS) estimated[metric] = figure(estimate.estimated[metric]);
  if (realized === undefined) return { estimated };
  const realizedFigures: Record<string, PerformanceFigure> = {};
  for (const metric of ESTIMATED_METRICS) realizedFigures[metric] = figure(realized[metric]);
  return { estimated, realized: realizedFigures };
}

/** Rewrites the library's field names (`current.labels[3]`) as the flags and files of `check`. */
function inputError(error: PerformanceInputError, spec: PerformanceSpec): CheckInputError {
  const file = error.field.startsWith("reference") ? "reference" : "current";
  const flag = error.field.includes("labels")
    ? `--label-column ${JSON.stringify(spec.labelColumn)}`
    : error.field.includes("predictions")
      ? `--prediction-column ${JSON.stringify(spec.predictionColumn ?? "")}`
      : spec.task === "binary"
        ? "--score-column"
        : "--score-columns";
  const reason = error.message.slice(error.field.length + 2).replace(/\[\d+\]/g, "");
  return new CheckInputError(`${file} file: ${flag}: ${reason}`);
}

function withInputErrors<T>(spec: PerformanceSpec, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof PerformanceInputError) throw inputError(error, spec);
    throw error;
  }
}

function fit(
  spec: PerformanceSpec,
  reference: ModelRows,
  chunks: ChunkSpec | undefined,
  codes: LabelCodes,
) {
  const usable: number[] = [];
  let unlabelled = 0;
  for (let row = 0; row < reference.rows; row++) {
    if (!usableRow(spec, reference, row)) continue;
    if (reference.labels!.values[row]! < 0) unlabelled++;
    else usable.push(row);
  }
  const skipped = reference.rows - usable.length;
  if (usable.length === 0) {
    throw new CheckInputError(
      `--label-column ${JSON.stringify(spec.labelColumn)}: no row of the reference file has ` +
        `both a label and ${spec.task === "binary" ? "a score" : "every score"}: the reference's ` +
        `labels are needed to calibrate the estimates`,
    );
  }
  const rows = Int32Array.from(usable);
  const inputs = gather(reference, rows, spec.task, codes);
  inputs.labels = codes.of(reference.labels!, rows);
  const options: EstimatorOptions = chunks?.kind === "size" ? { chunkSize: chunks.size } : {};
  const estimator: ChunkEstimator = withInputErrors(spec, () => {
    if (spec.task === "binary") {
      const positiveKey = labelKey(spec.positiveLabel);
      checkBinaryLabels(spec, reference, rows, positiveKey);
      const positiveLabel = codes.code(positiveKey);
      const fitted = fitEstimator(
        {
          task: "binary",
          scores: inputs.scores!,
          labels: inputs.labels!,
          ...predictionsOf(inputs),
        },
        { ...options, positiveLabel },
      );
      return {
        estimate: (chunk: Inputs) => fitted.estimate({ scores: chunk.scores!, ...labelled(chunk) }),
      };
    }
    const classes = spec.scores.map((score) => labelKey(score.className));
    checkClasses(spec, reference, new Set(classes), rows);
    checkClassesLabelled(spec, reference, rows);
    const fitted = fitEstimator(
      {
        task: "multiclass",
        classes: classes.map((_, index) => index),
        scoreColumns: inputs.scoreColumns!,
        labels: inputs.labels!,
        ...predictionsOf(inputs),
      },
      options,
    );
    return {
      estimate: (chunk: Inputs) =>
        fitted.estimate({ scoreColumns: chunk.scoreColumns!, ...labelled(chunk) }),
    };
  });
  const warnings =
    skipped === 0
      ? []
      : [
          `${skipped} reference row(s) left out of the performance estimation's calibration ` +
            `(${unlabelled} without a label, ${skipped - unlabelled} without a score` +
            `${spec.predictionColumn === undefined ? "" : " or prediction"})`,
        ];
  return { estimator, warnings };
}

function predictionsOf(inputs: Inputs): { predictions?: Float64Array } {
  return inputs.predictions === undefined ? {} : { predictions: inputs.predictions };
}

function labelled(inputs: Inputs): { predictions?: Float64Array; labels?: Float64Array } {
  return {
    ...predictionsOf(inputs),
    ...(inputs.labels === undefined ? {} : { labels: inputs.labels }),
  };
}

/** The subset of `rows` at `positions`. */
function subset(inputs: Inputs, positions: Int32Array): Inputs {
  const result: Inputs = {};
  if (inputs.scores !== undefined) result.scores = pick(inputs.scores, positions);
  if (inputs.scoreColumns !== undefined) {
    result.scoreColumns = inputs.scoreColumns.map((column) => pick(column, positions));
  }
  if (inputs.predictions !== undefined) result.predictions = pick(inputs.predictions, positions);
  return result;
}

/** Estimated (and realized, on the labelled rows) performance of some rows of the current file. */
function estimateRows(
  spec: PerformanceSpec,
  estimator: ChunkEstimator,
  current: ModelRows,
  rows: Int32Array,
  skipped: number,
  codes: LabelCodes,
): PerformanceReport {
  const inputs = gather(current, rows, spec.task, codes);
  const labels = current.labels === undefined ? undefined : codes.of(current.labels, rows);
  const positions: number[] = [];
  if (labels !== undefined) {
    for (let position = 0; position < labels.length; position++) {
      if (labels[position]! >= 0) positions.push(position);
    }
  }
  const counts = { rows: rows.length, skipped_rows: skipped, labelled_rows: positions.length };
  return withInputErrors(spec, () => {
    if (labels !== undefined && positions.length === rows.length) {
      const estimate = estimator.estimate({ ...inputs, labels });
      return { ...toReport(estimate, estimate.realized), ...counts };
    }
    const estimate = estimator.estimate(inputs);
    if (positions.length === 0) return { ...toReport(estimate, undefined), ...counts };
    const labelledRows = Int32Array.from(positions);
    const realized = estimator.estimate({
      ...subset(inputs, labelledRows),
      labels: pick(labels!, labelledRows),
    }).realized;
    return { ...toReport(estimate, realized), ...counts };
  });
}

export function estimatePerformance(
  spec: PerformanceSpec,
  reference: Pick<FileColumns, "rowTable" | "columnNames">,
  current: Pick<FileColumns, "rowTable" | "columnNames">,
  chunks: ChunkSpec | undefined,
): PerformanceRun {
  const referenceRows = modelRows(spec, "reference", reference.rowTable, reference.columnNames);
  const currentRows = modelRows(spec, "current", current.rowTable, current.columnNames);
  const classes = spec.task === "multiclass" ? spec.scores.map((s) => labelKey(s.className)) : [];
  const codes = new LabelCodes(classes);
  const { estimator, warnings } = fit(spec, referenceRows, chunks, codes);

  // Usable rows of the current file, in file order, and per chunk.
  const chunkIds = currentRows.chunkIds;
  const usable: number[] = [];
  const byChunk = new Map<number, number[]>();
  const skippedByChunk = new Map<number, number>();
  for (let row = 0; row < currentRows.rows; row++) {
    const ok = usableRow(spec, currentRows, row);
    const id = chunkIds === undefined ? -1 : chunkIds[row]!;
    if (!ok) {
      skippedByChunk.set(id, (skippedByChunk.get(id) ?? 0) + 1);
      continue;
    }
    usable.push(row);
    if (id >= 0) {
      let list = byChunk.get(id);
      if (list === undefined) byChunk.set(id, (list = []));
      list.push(row);
    }
  }
  const usableRows = Int32Array.from(usable);
  if (spec.task === "multiclass") {
    checkClasses(spec, currentRows, new Set(classes), usableRows);
  } else {
    checkBinaryLabels(spec, currentRows, usableRows, labelKey(spec.positiveLabel));
  }
  const skipped = currentRows.rows - usable.length;
  if (skipped > 0) {
    warnings.push(
      `${skipped} row(s) of the current file have no score` +
        `${spec.predictionColumn === undefined ? "" : " or prediction"}: ` +
        `left out of the performance estimates`,
    );
  }
  const whole =
    usable.length === 0
      ? undefined
      : estimateRows(spec, estimator, currentRows, usableRows, skipped, codes);
  if (whole === undefined) {
    warnings.push("no row of the current file has a score: no performance estimate");
  }
  return {
    whole,
    warnings,
    chunk: (id, index) => {
      const rows = byChunk.get(id);
      const chunkSkipped = skippedByChunk.get(id) ?? 0;
      if (rows === undefined) {
        warnings.push(`chunk ${index}: no row has a score: no performance estimate`);
        return undefined;
      }
      return estimateRows(spec, estimator, currentRows, Int32Array.from(rows), chunkSkipped, codes);
    },
  };
}
