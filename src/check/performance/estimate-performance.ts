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
  checkClasses,
  checkClassesLabelled,
  classTexts,
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

/** The estimator's inputs for some rows of one file. */
interface Inputs {
  scores?: Float64Array;
  scoreColumns?: Float64Array[];
  predictions?: string[];
  labels?: string[];
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

function gather(model: ModelRows, rows: Int32Array, task: PerformanceSpec["task"]): Inputs {
  const columns = model.scores.map((column) => Float64Array.from(rows, (row) => column[row]!));
  const inputs: Inputs = task === "binary" ? { scores: columns[0]! } : { scoreColumns: columns };
  if (model.predictions !== undefined) {
    inputs.predictions = classTexts(model.predictions, rows) as string[];
  }
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

function fit(spec: PerformanceSpec, reference: ModelRows, chunks: ChunkSpec | undefined) {
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
  const inputs = gather(reference, rows, spec.task);
  inputs.labels = classTexts(reference.labels!, rows) as string[];
  const options: EstimatorOptions = chunks?.kind === "size" ? { chunkSize: chunks.size } : {};
  const estimator: ChunkEstimator = withInputErrors(spec, () => {
    if (spec.task === "binary") {
      const positiveLabel = labelKey(spec.positiveLabel);
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
        classes,
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

function predictionsOf(inputs: Inputs): { predictions?: string[] } {
  return inputs.predictions === undefined ? {} : { predictions: inputs.predictions };
}

function labelled(inputs: Inputs): { predictions?: string[]; labels?: string[] } {
  return {
    ...predictionsOf(inputs),
    ...(inputs.labels === undefined ? {} : { labels: inputs.labels }),
  };
}

/** The subset of `rows` at `positions`. */
function subset(inputs: Inputs, positions: Int32Array): Inputs {
  const pick = (column: Float64Array): Float64Array =>
    Float64Array.from(positions, (position) => column[position]!);
  const result: Inputs = {};
  if (inputs.scores !== undefined) result.scores = pick(inputs.scores);
  if (inputs.scoreColumns !== undefined) result.scoreColumns = inputs.scoreColumns.map(pick);
  if (inputs.predictions !== undefined) {
    result.predictions = Array.from(positions, (position) => inputs.predictions![position]!);
  }
  return result;
}

/** Estimated (and realized, on the labelled rows) performance of some rows of the current file. */
function estimateRows(
  spec: PerformanceSpec,
  estimator: ChunkEstimator,
  current: ModelRows,
  rows: Int32Array,
  skipped: number,
): PerformanceReport {
  const inputs = gather(current, rows, spec.task);
  const labels = current.labels === undefined ? undefined : classTexts(current.labels, rows);
  const positions: number[] = [];
  labels?.forEach((label, position) => {
    if (label !== null) positions.push(position);
  });
  const counts = { rows: rows.length, skipped_rows: skipped, labelled_rows: positions.length };
  return withInputErrors(spec, () => {
    if (labels !== undefined && positions.length === rows.length) {
      const estimate = estimator.estimate({ ...inputs, labels: labels as string[] });
      return { ...toReport(estimate, estimate.realized), ...counts };
    }
    const estimate = estimator.estimate(inputs);
    if (positions.length === 0) return { ...toReport(estimate, undefined), ...counts };
    const labelledRows = Int32Array.from(positions);
    const realized = estimator.estimate({
      ...subset(inputs, labelledRows),
      labels: positions.map((position) => labels![position]!),
    }).realized;
    return { ...toReport(estimate, realized), ...counts };
  });
}

export function estimatePerformance(
  spec: PerformanceSpec,
  reference: FileColumns,
  current: FileColumns,
  chunks: ChunkSpec | undefined,
): PerformanceRun {
  const referenceRows = modelRows(spec, "reference", reference.rowTable, reference.columnNames);
  const currentRows = modelRows(spec, "current", current.rowTable, current.columnNames);
  const { estimator, warnings } = fit(spec, referenceRows, chunks);

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
  if (spec.task === "multiclass") {
    const classes = new Set(spec.scores.map((score) => labelKey(score.className)));
    checkClasses(spec, currentRows, classes, Int32Array.from(usable));
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
      : estimateRows(spec, estimator, currentRows, Int32Array.from(usable), skipped);
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
      return estimateRows(spec, estimator, currentRows, Int32Array.from(rows), chunkSkipped);
    },
  };
}
