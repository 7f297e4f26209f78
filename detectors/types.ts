// Result and input types shared across the detectors library (the shapes `check --json` and the
// monitoring service report; DESIGN "Detector definitions").

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

export type ColumnKind = "numeric" | "categorical";
