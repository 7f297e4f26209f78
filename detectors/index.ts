// Public surface of the detectors library (pure statistics, no I/O).
// CONTRACT STUB written by the lead so `check` and the detectors can be built in parallel:
// the detectors work replaces the bodies (and may add exports) but keeps these signatures.

/** Result of a test whose p-value decides drift (lower = more drift). */
export interface TestResult {
  statistic: number;
  p_value: number;
}

/** Every figure `check --json` reports for a numeric column (DESIGN's definitions). */
export interface NumericDrift {
  psi: number;
  js: number;
  ks: TestResult;
  wasserstein: number;
  wasserstein_normed: number;
}

/** Every figure `check --json` reports for a categorical column. */
export interface CategoricalDrift {
  psi: number;
  js: number;
  chi2: TestResult;
}

/**
 * Compare two numeric samples (missing values already removed; any order; may be re-ordered in
 * place). Both must be non-empty.
 */
export function compareNumeric(_reference: Float64Array, _current: Float64Array): NumericDrift {
  throw new Error("detectors: compareNumeric not implemented yet");
}

/** Compare two categorical samples given as counts per category ("" is a category). */
export function compareCategorical(
  _reference: ReadonlyMap<string, number>,
  _current: ReadonlyMap<string, number>,
): CategoricalDrift {
  throw new Error("detectors: compareCategorical not implemented yet");
}

export type ColumnKind = "numeric" | "categorical";

/** A per-column choice of test and threshold (overrides DESIGN's default rule). */
export interface ColumnRuleOverride {
  test?: string;
  threshold?: number;
}

export interface DriftRuleOptions {
  /** Dataset drifted when the share of drifted columns is ≥ this (default 0.5). */
  driftShareThreshold?: number;
  /** Apply Benjamini-Hochberg across the p-value tests of all columns (default false). */
  benjaminiHochberg?: boolean;
  overrides?: Readonly<Record<string, ColumnRuleOverride>>;
}

export interface ColumnInput {
  kind: ColumnKind;
  /** Non-missing reference rows (the default rule switches test at 1000). */
  nReference: number;
  result: NumericDrift | CategoricalDrift;
}

/** The decision for one column: which test decided, its value, threshold and verdict. */
export interface ColumnVerdict {
  test: string;
  value: number;
  threshold: number;
  drifted: boolean;
}

export interface DatasetVerdict {
  columns: Record<string, ColumnVerdict>;
  drift_share: number;
  drifted: boolean;
}

/** Apply the drift rules (DESIGN's default, overrides, optional BH) to computable columns. */
export function evaluateDrift(
  _columns: Readonly<Record<string, ColumnInput>>,
  _options: DriftRuleOptions = {},
): DatasetVerdict {
  throw new Error("detectors: evaluateDrift not implemented yet");
}
