// A model's rows as performance estimation needs them, taken from the columns a file kept row by
// row (row-columns.ts): which rows are usable (every score present, and the prediction when there
// is a prediction column), which have a label, each score checked to be a probability, each label
// written as its class (numbers by value: 1, 1.0 and 1e0 are the class "1"). Every problem is a
// CheckInputError naming the file, the flag, the column and the data row.
import { Buffer } from "node:buffer";
import { csvCategoryKey } from "../category-key.js";
import { CheckInputError } from "../errors.js";
import type { RowAlignedColumn, RowTable } from "../row-columns.js";
import type { PerformanceSpec } from "./performance-flags.js";

/** The class a label written as `text` is (as a CSV cell with numbers by value). */
export function labelKey(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.from(csvCategoryKey(bytes, 0, bytes.length, true), "latin1").toString("utf8");
}

export interface ModelRows {
  readonly file: "reference" | "current";
  readonly rows: number;
  /** One per score column of the spec, row-aligned (NaN: missing). */
  readonly scores: readonly Float64Array[];
  readonly labels: RowAlignedColumn | undefined;
  readonly predictions: RowAlignedColumn | undefined;
  /** The chunk id of each row (chunked current file). */
  readonly chunkIds: Float64Array | undefined;
}

function quote(name: string): string {
  return JSON.stringify(name);
}

/** The spec's columns of one file, checked to be there (the current file may lack labels). */
export function modelRows(
  spec: PerformanceSpec,
  file: "reference" | "current",
  table: RowTable | undefined,
  columnNames: readonly string[],
): ModelRows {
  const column = (flag: string, name: string, required: boolean): RowAlignedColumn | undefined => {
    const found = table?.columns.get(name);
    if (found === undefined && required) {
      const shown = columnNames.slice(0, 10).map(quote).join(", ");
      throw new CheckInputError(
        `${flag}: no column named ${quote(name)} in the ${file} file (its columns: ${shown}` +
          `${columnNames.length > 10 ? ", …" : ""})`,
      );
    }
    return found;
  };
  const scoreFlag = spec.task === "binary" ? "--score-column" : "--score-columns";
  const scores = spec.scores.map((score) => column(scoreFlag, score.column, true)!.values);
  const predictions =
    spec.predictionColumn === undefined
      ? undefined
      : column("--prediction-column", spec.predictionColumn, true);
  const labels = column("--label-column", spec.labelColumn, file === "reference");
  return {
    file,
    rows: table?.rows ?? 0,
    scores,
    labels,
    predictions,
    chunkIds: table?.chunkIds,
  };
}

/** Rows with every score (and the prediction, if any) present; each score checked. */
export function usableRow(spec: PerformanceSpec, model: ModelRows, row: number): boolean {
  for (let c = 0; c < model.scores.length; c++) {
    const value = model.scores[c]![row]!;
    if (value !== value) return false; // missing
    if (!(value >= 0 && value <= 1)) {
      const flag = spec.task === "binary" ? "--score-column" : "--score-columns";
      throw new CheckInputError(
        `${model.file} file: ${flag} column ${quote(spec.scores[c]!.column)}: data row ${row + 1}: ` +
          `${value} is not a probability (scores must be numbers from 0 to 1)`,
      );
    }
  }
  return model.predictions === undefined || model.predictions.values[row]! >= 0;
}

/**
 * One number per class text across both files and both columns (label, prediction), so the
 * estimator counts numbers, not strings; the classes given first get codes 0, 1, … (multiclass:
 * a code is the class's index).
 */
export class LabelCodes {
  private readonly codes = new Map<string, number>();
  private readonly tables = new Map<RowAlignedColumn, Int32Array>();

  constructor(first: readonly string[] = []) {
    for (const key of first) this.code(key);
  }

  code(key: string): number {
    let code = this.codes.get(key);
    if (code === undefined) {
      code = this.codes.size;
      this.codes.set(key, code);
    }
    return code;
  }

  /** The codes of a column's `rows` (-1 where missing). */
  of(column: RowAlignedColumn, rows: Int32Array): Float64Array {
    let table = this.tables.get(column);
    if (table === undefined) {
      table = Int32Array.from(column.keys, (key) => this.code(key));
      this.tables.set(column, table);
    }
    const codes = new Float64Array(rows.length);
    const values = column.values;
    for (let i = 0; i < rows.length; i++) {
      const local = values[rows[i]!]!;
      codes[i] = local < 0 ? -1 : table[local]!;
    }
    return codes;
  }
}

/** The texts a column holds on `rows`, in first-seen order. */
function keysOn(column: RowAlignedColumn, rows: Int32Array): string[] {
  const seen = new Uint8Array(column.keys.length);
  const keys: string[] = [];
  for (const row of rows) {
    const code = column.values[row]!;
    if (code >= 0 && seen[code] === 0) {
      seen[code] = 1;
      keys.push(column.keys[code]!);
    }
  }
  return keys;
}

/** Binary: the labels (and predictions) of `rows` are at most two, the positive one among two. */
export function checkBinaryLabels(
  spec: PerformanceSpec,
  model: ModelRows,
  rows: Int32Array,
  positiveKey: string,
): void {
  const check = (flag: string, name: string, column: RowAlignedColumn | undefined): void => {
    if (column === undefined) return;
    const keys = keysOn(column, rows);
    const listed = keys.slice(0, 10).map(quote).join(", ") + (keys.length > 10 ? ", …" : "");
    const where = `${model.file} file: ${flag} ${quote(name)}`;
    if (keys.length > 2) {
      throw new CheckInputError(
        `${where}: binary task but ${keys.length} distinct labels (${listed}); ` +
          `use --task multiclass`,
      );
    }
    if (keys.length === 2 && !keys.includes(positiveKey)) {
      throw new CheckInputError(
        `${where}: the positive label ${quote(positiveKey)} is not among the labels (${listed}); ` +
          `give --positive-label`,
      );
    }
  };
  check("--label-column", spec.labelColumn, model.labels);
  if (spec.predictionColumn !== undefined) {
    check("--prediction-column", spec.predictionColumn, model.predictions);
  }
}

/** Multiclass: every label and prediction of `rows` is a class of --score-columns. */
export function checkClasses(
  spec: PerformanceSpec,
  model: ModelRows,
  classes: ReadonlySet<string>,
  rows: Int32Array,
): void {
  const shown = [...classes].map(quote).join(", ");
  const check = (flag: string, name: string, column: RowAlignedColumn | undefined): void => {
    if (column === undefined) return;
    const known = column.keys.map((key) => classes.has(key));
    for (const row of rows) {
      const code = column.values[row]!;
      if (code >= 0 && !known[code]) {
        throw new CheckInputError(
          `${model.file} file: ${flag} column ${quote(name)}: data row ${row + 1}: ` +
            `${quote(column.keys[code]!)} is not one of the classes of --score-columns (${shown})`,
        );
      }
    }
  };
  check("--label-column", spec.labelColumn, model.labels);
  if (spec.predictionColumn !== undefined) {
    check("--prediction-column", spec.predictionColumn, model.predictions);
  }
}

/** Multiclass: each class of --score-columns appears among the reference's labels. */
export function checkClassesLabelled(
  spec: PerformanceSpec,
  reference: ModelRows,
  rows: Int32Array,
): void {
  const labels = reference.labels!;
  const seen = new Set<string>();
  for (const row of rows) seen.add(labels.keys[labels.values[row]!]!);
  for (const score of spec.scores) {
    if (!seen.has(labelKey(score.className))) {
      throw new CheckInputError(
        `--score-columns: class ${quote(score.className)} is not a label of the reference file's ` +
          `--label-column ${quote(spec.labelColumn)} (its labels: ` +
          `${[...seen].slice(0, 10).map(quote).join(", ")}${seen.size > 10 ? ", …" : ""})`,
      );
    }
  }
}
