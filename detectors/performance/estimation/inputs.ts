// Checking and encoding what callers pass: scores must be finite probabilities in [0, 1];
// labels and predictions are checked against the positive label (binary) or the class list
// (multiclass). Every problem is a PerformanceInputError naming the field and the row.

import { PerformanceInputError } from "../errors.js";
import type { Label, LabelArray } from "../labels.js";
import {
  checkBinaryLabelSet,
  distinctLabels,
  encodeClassIndices,
  encodePositives,
} from "../labels.js";
import { requireArray, requireSameLength } from "../numeric-input.js";

/** A binary classifier's rows: positive-class scores, optional decisions and labels. */
export interface BinaryData {
  scores: ArrayLike<number>;
  /** Predicted labels; when absent, a score ≥ the threshold predicts the positive label. */
  predictions?: LabelArray;
  /** True labels (required in the reference; in a chunk they add the realized metrics). */
  labels?: LabelArray;
}

/** A multiclass classifier's rows: one score column per class, in the estimator's class order. */
export interface MulticlassData {
  scoreColumns: ReadonlyArray<ArrayLike<number>>;
  /** Predicted labels; when absent, the class with the highest score (the first on ties). */
  predictions?: LabelArray;
  labels?: LabelArray;
}

/** A copy of `values` as a Float64Array, each a finite number in [0, 1]. */
export function probabilityScores(values: ArrayLike<number>, field: string): Float64Array {
  requireArray(values, field);
  const copy = new Float64Array(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value: unknown = values[i];
    if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
      const shown =
        typeof value === "number" ? String(value) : (JSON.stringify(value) ?? typeof value);
      throw new PerformanceInputError(
        `${field}[${i}]`,
        `must be a probability (a number from 0 to 1), got ${shown}`,
      );
    }
    copy[i] = value;
  }
  return copy;
}

/** 1 where the label is the positive one, after checking the labels form a binary set. */
export function binaryFlags(
  labels: LabelArray,
  rows: number,
  positiveLabel: Label,
  field: string,
  scoresField: string,
): Uint8Array {
  requireArray(labels, field);
  requireSameLength(labels.length, rows, field, scoresField);
  const type = typeof positiveLabel;
  const seen = distinctLabels(
    [{ field, labels }],
    type,
    `the positive label ${JSON.stringify(positiveLabel)} is a ${type}`,
  );
  checkBinaryLabelSet(seen, positiveLabel, field);
  return encodePositives(labels, positiveLabel);
}

/** The model's binary decisions: the predictions column, else score ≥ threshold. */
export function binaryDecisions(
  data: BinaryData,
  scores: Float64Array,
  positiveLabel: Label,
  threshold: number,
  field: string,
): Uint8Array {
  if (data.predictions !== undefined) {
    return binaryFlags(
      data.predictions,
      scores.length,
      positiveLabel,
      `${field}.predictions`,
      `${field}.scores`,
    );
  }
  const decisions = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i += 1) decisions[i] = scores[i]! >= threshold ? 1 : 0;
  return decisions;
}

/** Each score column checked (one per class, same length). */
export function scoreColumns(
  data: MulticlassData,
  classCount: number,
  field: string,
): Float64Array[] {
  requireArray(data.scoreColumns, `${field}.scoreColumns`);
  if (data.scoreColumns.length !== classCount) {
    throw new PerformanceInputError(
      `${field}.scoreColumns`,
      `has ${data.scoreColumns.length} columns but there are ${classCount} classes`,
    );
  }
  const columns = data.scoreColumns.map((column, c) =>
    probabilityScores(column, `${field}.scoreColumns[${c}]`),
  );
  for (let c = 1; c < classCount; c += 1) {
    requireSameLength(
      columns[c]!.length,
      columns[0]!.length,
      `${field}.scoreColumns[${c}]`,
      `${field}.scoreColumns[0]`,
    );
  }
  return columns;
}

/** Class index per row from labels (throws naming a row whose label is not a class). */
export function classIndices(
  labels: LabelArray,
  rows: number,
  classIndex: ReadonlyMap<Label, number>,
  field: string,
): Int32Array {
  requireArray(labels, field);
  requireSameLength(labels.length, rows, field, "the score columns");
  return encodeClassIndices(labels, classIndex, field);
}

/** The predicted class per row: the predictions column, else the argmax of the scores. */
export function multiclassDecisions(
  data: MulticlassData,
  columns: readonly Float64Array[],
  classIndex: ReadonlyMap<Label, number>,
  field: string,
): Int32Array {
  const rows = columns[0]!.length;
  if (data.predictions !== undefined) {
    return classIndices(data.predictions, rows, classIndex, `${field}.predictions`);
  }
  const decisions = new Int32Array(rows);
  for (let row = 0; row < rows; row += 1) {
    let best = 0;
    for (let c = 1; c < columns.length; c += 1)
      if (columns[c]![row]! > columns[best]![row]!) best = c;
    decisions[row] = best;
  }
  return decisions;
}
