// The flags of `check` that turn on performance estimation (DESIGN "check chunks and performance
// estimation"): --task binary|multiclass with the score, prediction and label columns, checked
// and turned into a PerformanceSpec before anything is read (each problem a CheckInputError
// naming the flag; --task regression is refused as not yet built).
import { CheckInputError } from "../errors.js";

export interface ScoreColumn {
  /** The class (as the label column writes it). */
  className: string;
  column: string;
}

export interface PerformanceSpec {
  task: "binary" | "multiclass";
  /** Binary: the positive class's score column; multiclass: one per class, in flag order. */
  scores: readonly ScoreColumn[];
  predictionColumn?: string;
  labelColumn: string;
  /** Binary: the positive label as given (default "1"). */
  positiveLabel: string;
}

export interface PerformanceFlagValues {
  task?: string;
  scoreColumn?: string;
  scoreColumns?: string;
  predictionColumn?: string;
  labelColumn?: string;
  positiveLabel?: string;
}

const SEPARATORS = new Set([",", "=", "\\"]);

/** "a\,b" → [a,b] pieces split at unescaped `separator`, escapes kept for the next split. */
function splitUnescaped(text: string, separator: string): string[] {
  const pieces: string[] = [];
  let piece = "";
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === "\\" && index + 1 < text.length && SEPARATORS.has(text[index + 1]!)) {
      piece += char + text[index + 1]!;
      index++;
    } else if (char === separator) {
      pieces.push(piece);
      piece = "";
    } else {
      piece += char;
    }
  }
  pieces.push(piece);
  return pieces;
}

function unescape(text: string): string {
  return text.replace(/\\([,=\\])/g, "$1");
}

/**
 * A --score-columns value: `class=column` pairs separated by commas (`\,`, `\=` and `\\` for a
 * comma, equals sign or backslash inside a name; spaces around names dropped). At least two
 * classes, each class and each column once.
 */
export function parseScoreColumns(value: string): ScoreColumn[] {
  const pairs: ScoreColumn[] = [];
  const classes = new Set<string>();
  const columns = new Set<string>();
  for (const entry of splitUnescaped(value, ",")) {
    if (entry.trim() === "") continue;
    const parts = splitUnescaped(entry, "=");
    if (parts.length !== 2) {
      throw new CheckInputError(
        `--score-columns: ${JSON.stringify(unescape(entry).trim())} is not class=column ` +
          `(write \\= for an equals sign and \\, for a comma inside a name)`,
      );
    }
    const className = unescape(parts[0]!).trim();
    const column = unescape(parts[1]!).trim();
    if (className === "" || column === "") {
      throw new CheckInputError(
        `--score-columns: ${JSON.stringify(unescape(entry).trim())}: ` +
          `both the class and the column need a name`,
      );
    }
    if (classes.has(className)) {
      throw new CheckInputError(
        `--score-columns: class ${JSON.stringify(className)} is given twice`,
      );
    }
    if (columns.has(column)) {
      throw new CheckInputError(
        `--score-columns: column ${JSON.stringify(column)} is given for two classes`,
      );
    }
    classes.add(className);
    columns.add(column);
    pairs.push({ className, column });
  }
  if (pairs.length < 2) {
    throw new CheckInputError(
      `--score-columns: a multiclass model needs a score column for each of at least two ` +
        `classes, e.g. --score-columns cat=p_cat,dog=p_dog,bird=p_bird`,
    );
  }
  return pairs;
}

/** Writes pairs as a --score-columns value that parseScoreColumns reads back. */
export function formatScoreColumns(pairs: readonly ScoreColumn[]): string {
  const escape = (name: string): string => name.replace(/[\\,=]/g, (char) => `\\${char}`);
  return pairs.map((pair) => `${escape(pair.className)}=${escape(pair.column)}`).join(",");
}

function refuse(flag: string, task: string): never {
  throw new CheckInputError(`${flag} does not apply to --task ${task}`);
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "") throw new CheckInputError(`${flag}: give a column name`);
  return value;
}

/** The performance estimation asked for by the flags, or undefined without --task. */
export function performanceFromFlags(flags: PerformanceFlagValues): PerformanceSpec | undefined {
  const scoreColumn = nonEmpty("--score-column", flags.scoreColumn);
  const predictionColumn = nonEmpty("--prediction-column", flags.predictionColumn);
  const labelColumn = nonEmpty("--label-column", flags.labelColumn);
  if (flags.task === undefined) {
    const given = Object.entries({
      "--score-column": scoreColumn,
      "--score-columns": flags.scoreColumns,
      "--prediction-column": predictionColumn,
      "--label-column": labelColumn,
      "--positive-label": flags.positiveLabel,
    }).find(([, value]) => value !== undefined);
    if (given !== undefined) {
      throw new CheckInputError(`${given[0]} needs --task binary or --task multiclass`);
    }
    return undefined;
  }
  const task = flags.task.trim();
  if (task === "regression") {
    throw new CheckInputError(
      "--task regression: not yet: estimating a regression model's errors without labels " +
        "(direct loss estimation) is not built; --task binary and --task multiclass are",
    );
  }
  if (task !== "binary" && task !== "multiclass") {
    throw new CheckInputError(
      `--task: ${JSON.stringify(flags.task)} is not a task; use binary, multiclass or regression`,
    );
  }
  if (labelColumn === undefined) {
    throw new CheckInputError(
      `--task ${task} needs --label-column (the reference's labels calibrate the estimates)`,
    );
  }
  let scores: ScoreColumn[];
  if (task === "binary") {
    if (flags.scoreColumns !== undefined) refuse("--score-columns", task);
    if (scoreColumn === undefined) {
      throw new CheckInputError(
        "--task binary needs --score-column (the positive class's probability)",
      );
    }
    scores = [{ className: flags.positiveLabel ?? "1", column: scoreColumn }];
  } else {
    if (scoreColumn !== undefined) refuse("--score-column", task);
    if (flags.positiveLabel !== undefined) refuse("--positive-label", task);
    if (flags.scoreColumns === undefined) {
      throw new CheckInputError(
        "--task multiclass needs --score-columns class=column,… (one probability per class)",
      );
    }
    scores = parseScoreColumns(flags.scoreColumns);
  }
  const columns = [...scores.map((score) => score.column), labelColumn, predictionColumn];
  const named = columns.filter((column): column is string => column !== undefined);
  const twice = named.find((column, index) => named.indexOf(column) !== index);
  if (twice !== undefined) {
    throw new CheckInputError(
      `column ${JSON.stringify(twice)} is given for two roles (score, prediction, label)`,
    );
  }
  return {
    task,
    scores,
    ...(predictionColumn === undefined ? {} : { predictionColumn }),
    labelColumn,
    positiveLabel: flags.positiveLabel ?? "1",
  };
}

/** The columns of a spec, none of them a feature. */
export function performanceColumns(spec: PerformanceSpec): string[] {
  const columns = spec.scores.map((score) => score.column);
  columns.push(spec.labelColumn);
  if (spec.predictionColumn !== undefined) columns.push(spec.predictionColumn);
  return columns;
}
