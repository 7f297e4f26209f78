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

export interface CheckReport {
  columns: Record<string, ColumnReport>;
  /** Drifted columns / computable columns. */
  drift_share: number;
  drifted: boolean;
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
