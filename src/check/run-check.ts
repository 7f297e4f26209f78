// `check` end to end, without the CLI: read both files (streamed, in parallel when big; the
// current one cut into chunks if asked), settle each column's kind, read again only the columns
// that turned out categorical after being read as numbers, compare every common column — per
// chunk, then for the whole file — with the detectors and apply the drift rules.
import type { ChunkSpec } from "./chunks/row-chunker.js";
import type { CollectedColumn } from "./column-collector.js";
import { finalKind, type FinalKind, needsCategoricalRead } from "./column-kinds.js";
import { countsOf } from "./column-report.js";
import { type ChunkedPair, compareChunks, preparedReferences } from "./compare-chunks.js";
import { type ColumnPair, compareColumns } from "./compare-columns.js";
import { CheckInputError } from "./errors.js";
import { performanceRequests } from "./performance/estimate-performance.js";
import {
  attachChunkPerformance,
  estimate,
  estimationThread,
} from "./performance/start-estimation.js";
import { type PerformanceSpec, performanceColumns } from "./performance/performance-flags.js";
import { categoricalHistogram, numericHistogram } from "./histograms.js";
import { judgeColumns } from "./judge-columns.js";
import { type ProgressReporter, silentProgress } from "./progress.js";
import { formatOf, readColumns } from "./read-columns.js";
import { readBoth } from "./read-both.js";
import { modeFor } from "./column-selection.js";
import { CHECK_READ_OPTIONS, type ReadOptions } from "./read-options.js";
import type { FileColumns } from "./read-plan.js";
import type { EstimationThread } from "./performance/estimate-in-worker.js";
import type { PerformanceResults } from "./performance/performance-results.js";
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
  /** Missing values, delimiter, limits (default: DESIGN's, CHECK_READ_OPTIONS). */
  read?: Partial<ReadOptions>;
  /** Cut the current file into chunks, each compared with the whole reference. */
  chunks?: ChunkSpec;
  /** Columns that are not features (never compared); the --chunk-by column is one. */
  nonFeatures?: readonly string[];
  /** Estimate the model's performance (--task): its score, prediction and label columns. */
  performance?: PerformanceSpec;
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
  options: ReadOptions,
  chunks: ChunkSpec | undefined,
): Promise<Map<string, CollectedColumn>> {
  const columns = new Map(file.columns);
  if (names.size === 0) return columns;
  progress.phase(`reading ${label} file again for ${names.size} categorical column(s)`);
  const again = await readColumns(file.path, label, {
    modeFor: modeFor({ only: [...names], categorical: [...names], others: null }),
    options: { ...options, delimiter: file.delimiter ?? options.delimiter },
    ...(chunks === undefined ? {} : { chunks }),
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

/** Which columns are compared, and the entries of those that are not. */
interface ColumnPlan {
  common: string[];
  onlyReference: string[];
  onlyCurrent: string[];
  warnings: string[];
}

function planColumns(
  options: CheckOptions,
  reference: FileColumns,
  current: FileColumns,
  nonFeatures: ReadonlySet<string>,
): ColumnPlan {
  if (options.columns !== undefined) {
    validateNames("--columns", options.columns, reference, current);
  }
  if (options.categorical !== undefined) {
    validateNames("--categorical", options.categorical, reference, current);
  }
  const selected = options.columns === undefined ? null : new Set(options.columns);
  const wanted = (name: string): boolean =>
    !nonFeatures.has(name) && (selected === null || selected.has(name));
  const inReference = new Set(reference.columnNames);
  const inCurrent = new Set(current.columnNames);
  const common = reference.columnNames.filter((name) => inCurrent.has(name) && wanted(name));
  const onlyReference = reference.columnNames.filter(
    (name) => !inCurrent.has(name) && wanted(name),
  );
  const onlyCurrent = current.columnNames.filter((name) => !inReference.has(name) && wanted(name));
  if (common.length === 0) {
    const hint = [reference, current].some((file) => file.delimiter !== undefined)
      ? " (the CSV delimiter is detected among , ; tab |; give --delimiter if that went wrong)"
      : "";
    throw new CheckInputError(
      `no columns in common: the reference file has ${quoteList(reference.columnNames)}, ` +
        `the current file has ${quoteList(current.columnNames)}${hint}`,
    );
  }
  const warnings = [...reference.warnings, ...current.warnings];
  if (onlyReference.length > 0) {
    warnings.push(`only in the reference file, skipped: ${quoteList(onlyReference)}`);
  }
  if (onlyCurrent.length > 0) {
    warnings.push(`only in the current file, skipped: ${quoteList(onlyCurrent)}`);
  }
  const withoutTime = current.chunks?.rowsWithoutTime ?? 0;
  if (withoutTime > 0) {
    warnings.push(
      `${withoutTime} row(s) of the current file have no --chunk-by value: ` +
        `compared in the whole file, in no chunk`,
    );
  }
  return { common, onlyReference, onlyCurrent, warnings };
}

async function check(options: CheckOptions, progress: ProgressReporter): Promise<CheckOutcome> {
  const { referencePath, currentPath, chunks } = options;
  formatOf(referencePath, "reference");
  formatOf(currentPath, "current");
  const readOptions: ReadOptions = { ...CHECK_READ_OPTIONS, ...options.read };
  const nonFeatures = new Set(options.nonFeatures ?? []);
  if (chunks?.kind === "period") nonFeatures.add(chunks.column);
  const spec = options.performance;
  if (spec !== undefined) for (const name of performanceColumns(spec)) nonFeatures.add(name);
  const thread = await estimationThread(spec, [referencePath, currentPath]);
  try {
    return await readAndCompare(options, progress, readOptions, nonFeatures, thread);
  } finally {
    thread?.cancel();
  }
}

async function readAndCompare(
  options: CheckOptions,
  progress: ProgressReporter,
  readOptions: ReadOptions,
  nonFeatures: ReadonlySet<string>,
  thread: EstimationThread | null,
): Promise<CheckOutcome> {
  const { referencePath, currentPath, chunks } = options;
  const spec = options.performance;
  const forced = new Set(options.categorical ?? []);
  const { reference, current } = await readBoth(
    referencePath,
    currentPath,
    {
      only: options.columns ?? null,
      excluded: [...nonFeatures],
      categorical: [],
      forced: [...forced],
      others: "infer",
    },
    progress,
    {
      options: readOptions,
      ...(chunks === undefined ? {} : { chunks }),
      ...(spec === undefined ? {} : { rowColumns: performanceRequests(spec) }),
    },
  );
  const plan = planColumns(options, reference, current, nonFeatures);
  if (spec !== undefined) progress.phase("fitting the performance estimator on the reference");
  const performance =
    spec === undefined ? undefined : estimate(thread, spec, reference, current, chunks);
  try {
    return await compareAll(options, progress, readOptions, reference, current, plan, performance);
  } catch (error) {
    await performance; // its error first, as when it ran before the comparison
    throw error;
  }
}

async function compareAll(
  options: CheckOptions,
  progress: ProgressReporter,
  readOptions: ReadOptions,
  reference: FileColumns,
  current: FileColumns,
  plan: ColumnPlan,
  estimation: Promise<PerformanceResults> | undefined,
): Promise<CheckOutcome> {
  const { referencePath, currentPath, chunks } = options;
  const { common, onlyCurrent, warnings } = plan;
  const forced = new Set(options.categorical ?? []);
  const wanted = new Set([...common, ...plan.onlyReference]);

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
    readOptions,
    undefined,
  );
  const currentColumns = await rereadAsCategorical(
    current,
    "current",
    rereadCurrent,
    progress,
    readOptions,
    chunks,
  );

  // Keyed by column names, which are free text ("__proto__" too): no prototype.
  const fixed = Object.create(null) as Record<string, ColumnReport>;
  const order: string[] = [];
  const pairs: ColumnPair[] = [];
  const inCurrent = new Set(common);
  for (const name of reference.columnNames) {
    if (!wanted.has(name)) continue;
    order.push(name);
    if (!inCurrent.has(name)) {
      fixed[name] = { computable: false, reason: "the column is only in the reference file" };
      continue;
    }
    const referenceColumn = referenceColumns.get(name)!;
    const currentColumn = currentColumns.get(name)!;
    const kind = kinds.get(name)!;
    if (kind === "undecided") {
      fixed[name] = {
        computable: false,
        reason: "every value is missing in both files",
        ...countsOf(referenceColumn, currentColumn),
      };
      continue;
    }
    pairs.push({ name, kind, reference: referenceColumn, current: currentColumn });
  }
  for (const name of onlyCurrent) {
    order.push(name);
    fixed[name] = { computable: false, reason: "the column is only in the current file" };
  }

  // Chunks first: comparing sorts each chunk's view of the current values in place. The numeric
  // references are sorted and binned once, for the chunks and the whole file.
  const chunked = chunks !== undefined && current.chunks !== undefined;
  const prepared = chunked ? preparedReferences(pairs as ChunkedPair[]) : undefined;
  const chunkReports =
    chunks === undefined || current.chunks === undefined
      ? undefined
      : compareChunks(
          pairs as ChunkedPair[],
          current.chunks,
          chunks,
          order,
          fixed,
          (index, total) => progress.phase(`comparing chunk ${index + 1} of ${total}`),
          prepared,
        );

  progress.phase(`comparing ${common.length} column(s)`);
  const columns = Object.create(null) as Record<string, ColumnReport>;
  for (const name of order)
    columns[name] = fixed[name] ?? { computable: false, reason: "not compared" };
  const histograms = new Map<string, ColumnHistogram>();
  const judged = judgeColumns(columns, await compareColumns(pairs, prepared), (column) => {
    if (options.histograms !== true) return;
    // After the comparison: the detectors may have sorted the samples, which saves a sort here.
    histograms.set(
      column.name,
      column.kind === "categorical"
        ? categoricalHistogram(column.reference.counts, column.current.counts)
        : numericHistogram(column.reference.values, column.current.values),
    );
  });
  const performance = await estimation;
  if (performance !== undefined) {
    attachChunkPerformance(chunkReports, performance);
    warnings.push(...performance.warnings);
  }
  if (judged.computable === 0) {
    const reasons = Object.entries(columns).map(
      ([name, column]) => `${JSON.stringify(name)}: ${column.computable ? "" : column.reason}`,
    );
    throw new CheckInputError(`no column could be compared: ${reasons.join("; ")}`);
  }
  return {
    report: {
      columns,
      drift_share: judged.drift_share,
      drifted: judged.drifted,
      ...(chunkReports === undefined ? {} : { chunks: chunkReports }),
      ...(performance?.whole === undefined ? {} : { performance: performance.whole }),
    },
    histograms,
    warnings,
    referencePath,
    currentPath,
  };
}
