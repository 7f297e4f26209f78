// Confidence-based performance estimation for a multiclass classifier: each class's score column
// calibrated one-vs-rest on the reference (calibrator.ts), the calibrated columns renormalised to
// sum to 1 per row (uniform when they sum to 0), then the expected macro metrics per chunk
// (multiclass-metrics.ts) against the reference's spread of the realized ones.

import { PerformanceInputError } from "../errors.js";
import type { Label } from "../labels.js";
import { argsortAscending } from "./argsort.js";
import type { Calibrator } from "./calibrator.js";
import { applyCalibrator, chooseCalibrator } from "./calibrator.js";
import { assembleReport } from "./estimate-report.js";
import type { EstimatorOptions, ResolvedEstimatorOptions } from "./estimator-options.js";
import { resolveEstimatorOptions } from "./estimator-options.js";
import type { MulticlassData } from "./inputs.js";
import { classIndices, multiclassDecisions, scoreColumns } from "./inputs.js";
import type { PerformanceEstimate } from "./metric-types.js";
import { multiclassMetrics } from "./multiclass-metrics.js";
import type { ReferenceSpread } from "./reference-spread.js";
import { chunkOrders, referenceSpread } from "./reference-spread.js";

export interface MulticlassEstimator {
  readonly task: "multiclass";
  readonly classes: readonly Label[];
  readonly referenceRows: number;
  /** One calibrator per class, in class order. */
  readonly calibrators: readonly Calibrator[];
  readonly options: ResolvedEstimatorOptions;
  spread(size: number): ReferenceSpread;
  estimate(chunk: MulticlassData): PerformanceEstimate;
}

function classIndexOf(classes: readonly Label[]): Map<Label, number> {
  if (!Array.isArray(classes) || classes.length < 2) {
    throw new PerformanceInputError("reference.classes", "must list at least two classes");
  }
  const index = new Map<Label, number>();
  classes.forEach((label, c) => {
    if (index.has(label)) {
      throw new PerformanceInputError(
        `reference.classes[${c}]`,
        `${JSON.stringify(label)} is listed twice`,
      );
    }
    index.set(label, c);
  });
  return index;
}

function oneHot(classIndex: Int32Array, classCount: number): Float64Array[] {
  return Array.from({ length: classCount }, (_, c) =>
    Float64Array.from(classIndex, (k) => (k === c ? 1 : 0)),
  );
}

/** Calibrated columns renormalised per row. */
function calibratedProbabilities(
  calibrators: readonly Calibrator[],
  columns: Float64Array[],
): Float64Array[] {
  const calibrated = columns.map((column, c) =>
    Float64Array.from(applyCalibrator(calibrators[c]!, column)),
  );
  const rows = columns[0]!.length;
  for (let row = 0; row < rows; row += 1) {
    let total = 0;
    for (const column of calibrated) total += column[row]!;
    for (const column of calibrated)
      column[row] = total > 0 ? column[row]! / total : 1 / calibrated.length;
  }
  return calibrated;
}

/** Fit on a labelled reference whose score columns follow `reference.classes`. */
export function fitMulticlassEstimator(
  reference: MulticlassData & { classes: readonly Label[] },
  options: EstimatorOptions = {},
): MulticlassEstimator {
  const resolved = resolveEstimatorOptions(options);
  const classes = [...reference.classes];
  const classIndex = classIndexOf(classes);
  const columns = scoreColumns(reference, classes.length, "reference");
  const rows = columns[0]!.length;
  if (rows === 0) throw new PerformanceInputError("reference.scoreColumns", "has no rows");
  if (reference.labels === undefined) {
    throw new PerformanceInputError("reference.labels", "are required to fit the estimator");
  }
  const labels = classIndices(reference.labels, rows, classIndex, "reference.labels");
  const decisions = multiclassDecisions(reference, columns, classIndex, "reference");
  const orders = columns.map((column) => argsortAscending(column));
  const outcomes = oneHot(labels, classes.length);
  const calibrators = columns.map((column, c) =>
    chooseCalibrator(column, Uint8Array.from(outcomes[c]!), {
      mode: resolved.calibration,
      folds: resolved.calibrationFolds,
      order: orders[c]!,
    }),
  );
  const realizedChunks = (size: number, count: number) => {
    const perClass = orders.map((order) => chunkOrders(order, size, count));
    return Array.from(
      { length: count },
      (_, chunk) =>
        multiclassMetrics(
          {
            probabilities: outcomes,
            predictedClass: decisions,
            rankScores: columns,
            orders: perClass.map((chunksOfClass) => chunksOfClass[chunk]!),
          },
          false,
        ).values,
    );
  };
  const spreads = new Map<number, ReferenceSpread>();
  const spread = (size: number): ReferenceSpread => {
    let cached = spreads.get(size);
    if (cached === undefined) {
      cached = referenceSpread(rows, size, realizedChunks);
      spreads.set(size, cached);
    }
    return cached;
  };
  if (resolved.chunkSize !== undefined) spread(resolved.chunkSize);

  const estimate = (chunk: MulticlassData): PerformanceEstimate => {
    const chunkColumns = scoreColumns(chunk, classes.length, "current");
    const chunkRows = chunkColumns[0]!.length;
    if (chunkRows === 0) throw new PerformanceInputError("current.scoreColumns", "has no rows");
    const chunkDecisions = multiclassDecisions(chunk, chunkColumns, classIndex, "current");
    const chunkOrdersByClass = chunkColumns.map((column) => argsortAscending(column));
    const estimated = multiclassMetrics(
      {
        probabilities: calibratedProbabilities(calibrators, chunkColumns),
        predictedClass: chunkDecisions,
        rankScores: chunkColumns,
        orders: chunkOrdersByClass,
      },
      true,
    );
    let realized;
    if (chunk.labels !== undefined) {
      const chunkLabels = classIndices(chunk.labels, chunkRows, classIndex, "current.labels");
      realized = multiclassMetrics(
        {
          probabilities: oneHot(chunkLabels, classes.length),
          predictedClass: chunkDecisions,
          rankScores: chunkColumns,
          orders: chunkOrdersByClass,
        },
        false,
      ).values;
    }
    return assembleReport(estimated, realized, spread(chunkRows), resolved);
  };

  return {
    task: "multiclass",
    classes,
    referenceRows: rows,
    calibrators,
    options: resolved,
    spread,
    estimate,
  };
}
