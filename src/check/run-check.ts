// `check` end to end, without the CLI: read both files (streamed, in parallel when big), settle
// each column's kind, read again only the columns that turned out categorical after being read as
// numbers, compare every common column with the detectors and apply the drift rules.
import { type ColumnInput, evaluateDrift } from "../../detectors/index.js";
import type { CollectedColumn } from "./column-collector.js";
import { finalKind, type FinalKind, needsCategoricalRead } from "./column-kinds.js";
import { columnReport, type Computed, countsOf } from "./column-report.js";
import { type ColumnPair, compareColumns } from "./compare-columns.js";
import { CheckInputError } from "./errors.js";
import { categoricalHistogram, numericHistogram } from "./histograms.js";
import { type ProgressReporter, silentProgress } from "./progress.js";
import { formatOf, readColumns } from "./read-columns.js";
import { readBoth } from "./read-both.js";
import { modeFor } from "./column-selection.js";
import type { FileColumns } from "./read-plan.js";
import type { CheckOutcome, ColumnHistogram, ColumnReport } from "./report.js";

export interface CheckOptions {
  referencePath: string;
  currentPath: string;
  /** Compare only these columns (default: every column both files have). */
  columns?: readonly string[];
  /** Treat these columns as categorical whatever their values look like. */
  categorical?: readonly string[];
  progress?: ProgressReporter;
  /** Also compute the histograms the HTML report draws. */
  histograms?: boolean;
}

type Label = "reference" | "current";

function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, 10).map((name) => JSON.stringify(name));
  return names.length > 10 ? `${shown.join(", ")}, … (${names.length} in all)` : shown.join(", ");
}

/** Reads the columns of `file` that must become categorical again, as categories. */
async function rereadAsCategorical(
  file: FileColumns,
  label: Label,
  names: Set<string>,
  progress: ProgressReporter,
): Promise<Map<string, CollectedColumn>> {
  const columns = new Map(file.columns);
  if (names.size === 0) return columns;
  progress.phase(`reading ${label} file again for ${names.size} categorical column(s)`);
  const again = await readColumns(file.path, label, {
    modeFor: modeFor({ only: [...names], categorical: [...names], others: null }),
    onProgress: (bytesRead, totalBytes) => progress.reading(label, bytesRead, totalBytes),
  });
  for (const name of names) columns.set(name, again.columns.get(name)!);
  return columns;
}

function validateNames(
  flag: string,
  names: readonly string[],
  reference: FileColumns,
  current: FileColumns,
): void {
  const known = new Set([...reference.columnNames, ...current.columnNames]);
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new CheckInputError(
      `${flag}: no column named ${quoteList(unknown)} in either file ` +
        `(reference columns: ${quoteList(reference.columnNames)})`,
    );
  }
}

export async function runCheck(options: CheckOptions): Promise<CheckOutcome> {
  const progress = options.progress ?? silentProgress;
  try {
    return await check(options, progress);
  } finally {
    progress.finish(); // also on errors: the message must not land on a half-drawn status line
  }
}

async function check(options: CheckOptions, progress: ProgressReporter): Promise<CheckOutcome> {
  const { referencePath, currentPath } = options;
  formatOf(referencePath, "reference");
  formatOf(currentPath, "current");
  const selected = options.columns === undefined ? null : new Set(options.columns);
  const forced = new Set(options.categorical ?? []);
  const { reference, current } = await readBoth(
    referencePath,
    currentPath,
    { only: options.columns ?? null, categorical: [...forced], others: "infer" },
    progress,
  );
  const inReference = new Set(reference.columnNames);
  if (options.columns !== undefined) {
    validateNames("--columns", options.columns, reference, current);
  }
  if (options.categorical !== undefined) {
    validateNames("--categorical", options.categorical, reference, current);
  }

  const warnings = [...reference.warnings, ...current.warnings];
  const inCurrent = new Set(current.columnNames);
  const wanted = (name: string): boolean => selected === null || selected.has(name);
  const common = reference.columnNames.filter((name) => inCurrent.has(name) && wanted(name));
  const onlyReference = reference.columnNames.filter(
    (name) => !inCurrent.has(name) && wanted(name),
  );
  const onlyCurrent = current.columnNames.filter((name) => !inReference.has(name) && wanted(name));
  if (common.length === 0) {
    throw new CheckInputError(
      `no columns in common: the reference file has ${quoteList(reference.columnNames)}, ` +
        `the current file has ${quoteList(current.columnNames)}`,
    );
  }
  if (onlyReference.length > 0) {
    warnings.push(`only in the reference file, skipped: ${quoteList(onlyReference)}`);
  }
  if (onlyCurrent.length > 0) {
    warnings.push(`only in the current file, skipped: ${quoteList(onlyCurrent)}`);
  }

  // Settle kinds, then re-read the columns that must become categorical.
  const kinds = new Map<string, FinalKind>();
  const rereadReference = new Set<string>();
  const rereadCurrent = new Set<string>();
  for (const name of common) {
    const referenceKind = reference.columns.get(name)!.kind;
    const currentKind = current.columns.get(name)!.kind;
    const kind = finalKind(referenceKind, currentKind, forced.has(name));
    kinds.set(name, kind);
    if (needsCategoricalRead(referenceKind, kind)) rereadReference.add(name);
    if (needsCategoricalRead(currentKind, kind)) rereadCurrent.add(name);
  }
  const referenceColumns = await rereadAsCategorical(
    reference,
    "reference",
    rereadReference,
    progress,
  );
  const currentColumns = await rereadAsCategorical(current, "current", rereadCurrent, progress);

  progress.phase(`comparing ${common.length} column(s)`);
  // Keyed by column names, which are free text ("__proto__" too): no prototype.
  const columns: Record<string, ColumnReport> = Object.create(null) as Record<string, ColumnReport>;
  const pairs: ColumnPair[] = [];
  for (const name of reference.columnNames) {
    if (!wanted(name)) continue;
    if (!inCurrent.has(name)) {
      columns[name] = { computable: false, reason: "the column is only in the reference file" };
      continue;
    }
    const referenceColumn = referenceColumns.get(name)!;
    const currentColumn = currentColumns.get(name)!;
    const kind = kinds.get(name)!;
    if (kind === "undecided") {
      columns[name] = {
        computable: false,
        reason: "every value is missing in both files",
        ...countsOf(referenceColumn, currentColumn),
      };
      continue;
    }
    columns[name] = { computable: false, reason: "not compared" }; // keeps the column order
    pairs.push({ name, kind, reference: referenceColumn, current: currentColumn });
  }

  // Keyed by column names, which are free text ("__proto__" too): no prototype.
  const ruleInputs: Record<string, ColumnInput> = Object.create(null) as Record<
    string,
    ColumnInput
  >;
  const computed = new Map<string, Computed>();
  const histograms = new Map<string, ColumnHistogram>();
  for (const pair of await compareColumns(pairs)) {
    const { name, kind, comparison, reference: referenceColumn, current: currentColumn } = pair;
    const counts = countsOf(referenceColumn, currentColumn);
    if (!comparison.computable) {
      columns[name] = { computable: false, reason: comparison.reason, kind, ...counts };
      continue;
    }
    if (options.histograms === true) {
      // After the comparison: the detectors may have sorted the samples, which saves a sort here.
      histograms.set(
        name,
        kind === "categorical"
          ? categoricalHistogram(referenceColumn.counts, currentColumn.counts)
          : numericHistogram(referenceColumn.values, currentColumn.values),
      );
    }
    ruleInputs[name] = { kind, nReference: referenceColumn.nonMissing, result: comparison.result };
    computed.set(name, { comparison, counts, reference: referenceColumn, current: currentColumn });
  }
  for (const name of onlyCurrent) {
    columns[name] = { computable: false, reason: "the column is only in the current file" };
  }

  if (computed.size === 0) {
    const reasons = Object.entries(columns).map(
      ([name, column]) => `${JSON.stringify(name)}: ${column.computable ? "" : column.reason}`,
    );
    throw new CheckInputError(`no column could be compared: ${reasons.join("; ")}`);
  }
  const verdict = evaluateDrift(ruleInputs);
  for (const [name, entry] of computed) {
    columns[name] = columnReport(entry, verdict.columns[name]);
  }
  return {
    report: { columns, drift_share: verdict.drift_share, drifted: verdict.drifted },
    histograms,
    warnings,
    referencePath,
    currentPath,
  };
}
