// The document `check --json` prints (DESIGN "check --json output") and the per-column histograms
// the HTML report draws. Contract fields keep DESIGN's names; `computable`, `test`, `value`,
// `threshold` and `psi_drifted` are additions saying which rule decided and why.
import type { TestResult } from "../../detectors/index.js";

interface ColumnCounts {
  n_reference: number;
  n_current: number;
  missing_reference: number;
  missing_current: number;
}

interface RuleVerdict {
  /** The test the drift rule used for this column (e.g. "ks", "wasserstein_normed"). */
  test: string;
  /** That test's value (a p-value or a distance). */
  value: number;
  threshold: number;
  drifted: boolean;
  /** PSI ≥ 0.2: reported next to the deciding test, it does not change `drifted`. */
  psi_drifted: boolean;
}

export interface NumericColumnReport extends ColumnCounts, RuleVerdict {
  kind: "numeric";
  computable: true;
  psi: number;
  js: number;
  ks: TestResult;
  wasserstein: number;
  wasserstein_normed: number;
}

export interface CategoricalColumnReport extends ColumnCounts, RuleVerdict {
  kind: "categorical";
  computable: true;
  /** Rows per category in each file (categories: the union of both files). */
  counts: { reference: Record<string, number>; current: Record<string, number> };
  psi: number;
  js: number;
  chi2: TestResult;
}

/** A column that could not be compared, and why (never a NaN passed off as a result). */
export interface NotComputableColumnReport extends Partial<ColumnCounts> {
  computable: false;
  reason: string;
  kind?: "numeric" | "categorical";
}

export type ColumnReport =
  NumericColumnReport | CategoricalColumnReport | NotComputableColumnReport;

/**
 * One performance metric estimated (or realized) on a chunk or the whole file (DESIGN "check
 * chunks and performance estimation"). Null where the metric is undefined (e.g. precision when
 * no row is predicted positive, or thresholds from fewer than two reference chunks).
 */
export interface PerformanceFigure {
  value: number | null;
  /** The sampling-error band of an estimate. */
  lower?: number | null;
  upper?: number | null;
  /** The reference's mean ± 3σ of the realized metric over reference chunks of the same size. */
  threshold_lower?: number | null;
  threshold_upper?: number | null;
  /** The value is outside [threshold_lower, threshold_upper]: counts for exit code 1. */
  alert?: boolean;
}

export interface PerformanceReport {
  /** Per metric (the result vocabulary's names: roc_auc, accuracy, precision, recall, f1). */
  estimated: Record<string, PerformanceFigure>;
  /** The same metrics from the labels, when the current rows have them (labelled rows only). */
  realized?: Record<string, PerformanceFigure>;
  /** Rows estimated from (every score present), rows left out, rows with a label. */
  rows?: number;
  skipped_rows?: number;
  labelled_rows?: number;
}

/** One chunk of the current file compared with the whole reference (--chunk-size / --chunk-by). */
export interface ChunkReport {
  index: number;
  /** 0-based index of the chunk's first data row (inclusive). */
  from_row: number;
  /** 0-based index after its last data row (exclusive). */
  to_row: number;
  /** Its period (RFC 3339, UTC; end exclusive) with --chunk-by; null with --chunk-size. */
  start: string | null;
  end: string | null;
  /** Data rows in the chunk (with --chunk-by, rows of other chunks may lie between from and to). */
  rows: number;
  columns: Record<string, ColumnReport>;
  drift_share: number;
  drifted: boolean;
  /** A last chunk shorter than --chunk-size. */
  partial?: true;
  performance?: PerformanceReport;
}

export interface CheckReport {
  columns: Record<string, ColumnReport>;
  /** Drifted columns / computable columns. */
  drift_share: number;
  drifted: boolean;
  /** The current file cut into chunks, each compared with the reference (when asked for). */
  chunks?: ChunkReport[];
  /** Performance of the whole current file (with --task). */
  performance?: PerformanceReport;
}

/** Reference vs current row counts per bin (numeric: reference decile bins; categorical: categories). */
export interface ColumnHistogram {
  labels: string[];
  reference: number[];
  current: number[];
}

/** Everything one run of `check` produced: the JSON document plus what the HTML page draws. */
export interface CheckOutcome {
  report: CheckReport;
  histograms: ReadonlyMap<string, ColumnHistogram>;
  warnings: readonly string[];
  referencePath: string;
  currentPath: string;
}
