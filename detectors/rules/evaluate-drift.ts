// Drift rules: turn each column's comparison into a verdict (which test decided, its value,
// threshold, drifted) and the dataset's drift share and verdict. DESIGN's default per column
// (n = non-missing reference rows): numeric → KS p < 0.05 when n ≤ 1000, else normed
// Wasserstein ≥ 0.1; categorical → chi-squared p < 0.05 when n ≤ 1000, else JS ≥ 0.1; PSI ≥
// 0.2 is reported alongside. Per-column overrides pick any registered test and threshold;
// Benjamini-Hochberg optionally adjusts the p-values of all p-value-decided columns together.
import { getDetector, isDrift, type DetectorDescriptor } from "../registry.js";
import type { CategoricalDrift, ColumnKind, NumericDrift } from "../types.js";
import {
  DRIFT_TEST,
  PSI_REPORT_THRESHOLD,
  type DriftTestName,
} from "../vocabulary/metric-names.js";
import { benjaminiHochberg } from "./benjamini-hochberg.js";

/** Reference windows up to this many rows are judged by a p-value test, larger ones by a distance. */
export const SMALL_REFERENCE_ROWS = 1000;
export const DEFAULT_DRIFT_SHARE_THRESHOLD = 0.5;
export { PSI_REPORT_THRESHOLD };

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
  /** Keyed by column name; overrides for columns not present are ignored. */
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
  test: DriftTestName;
  /** The deciding figure (the BH-adjusted p-value when the correction is on). */
  value: number;
  threshold: number;
  drifted: boolean;
  /** The p-value before Benjamini-Hochberg (present only when the correction was applied). */
  unadjusted_value?: number;
  /** PSI ≥ 0.2, reported next to the deciding test (informational). */
  psi_drifted: boolean;
}

export interface DatasetVerdict {
  columns: Record<string, ColumnVerdict>;
  drift_share: number;
  drifted: boolean;
}

/** The test DESIGN's default rule applies to a column. */
export function defaultTestName(kind: ColumnKind, nReference: number): DriftTestName {
  const small = nReference <= SMALL_REFERENCE_ROWS;
  if (kind === "numeric") return small ? DRIFT_TEST.ks : DRIFT_TEST.wassersteinNormed;
  return small ? DRIFT_TEST.chi2 : DRIFT_TEST.js;
}

/** Apply the drift rules (DESIGN's default, overrides, optional BH) to computable columns. */
export function evaluateDrift(
  columns: Readonly<Record<string, ColumnInput>>,
  options: DriftRuleOptions = {},
): DatasetVerdict {
  const shareThreshold = options.driftShareThreshold ?? DEFAULT_DRIFT_SHARE_THRESHOLD;
  if (!(shareThreshold > 0 && shareThreshold <= 1)) {
    throw new RangeError(`driftShareThreshold must be in (0, 1], got ${shareThreshold}`);
  }
  const decided = Object.entries(columns).map(([name, column]) => {
    const { detector, threshold } = chooseTest(name, column, options.overrides?.[name]);
    return {
      name,
      detector,
      threshold,
      value: detector.valueOf(column.result),
      psi: column.result.psi,
    };
  });

  const adjusted = new Map<string, number>();
  if (options.benjaminiHochberg === true) {
    const pValueColumns = decided.filter((column) => column.detector.direction === "p_value");
    const adjustedValues = benjaminiHochberg(pValueColumns.map((column) => column.value));
    pValueColumns.forEach((column, index) => adjusted.set(column.name, adjustedValues[index]!));
  }

  // Keyed by column names, which are free text ("__proto__" too): no prototype.
  const verdicts: Record<string, ColumnVerdict> = Object.create(null) as Record<
    string,
    ColumnVerdict
  >;
  let driftedCount = 0;
  for (const column of decided) {
    const adjustedValue = adjusted.get(column.name);
    const value = adjustedValue ?? column.value;
    const drifted = isDrift(column.detector, value, column.threshold);
    if (drifted) driftedCount++;
    verdicts[column.name] = {
      test: column.detector.name,
      value,
      threshold: column.threshold,
      drifted,
      ...(adjustedValue === undefined ? {} : { unadjusted_value: column.value }),
      psi_drifted: column.psi >= PSI_REPORT_THRESHOLD,
    };
  }
  const driftShare = decided.length === 0 ? 0 : driftedCount / decided.length;
  return {
    columns: verdicts,
    drift_share: driftShare,
    drifted: decided.length > 0 && driftShare >= shareThreshold,
  };
}

function chooseTest(
  columnName: string,
  column: ColumnInput,
  override: ColumnRuleOverride | undefined,
): { detector: DetectorDescriptor; threshold: number } {
  const where = `column "${columnName}"`;
  let detector: DetectorDescriptor;
  try {
    detector = getDetector(
      override?.test ?? defaultTestName(column.kind, column.nReference),
      column.kind,
    );
  } catch (error) {
    throw new RangeError(`${where}: ${(error as Error).message}`, { cause: error });
  }
  const threshold = override?.threshold ?? detector.defaultThreshold;
  if (threshold === null) {
    throw new RangeError(
      `${where}: test "${detector.name}" has no default threshold; give one in the override`,
    );
  }
  if (!Number.isFinite(threshold))
    throw new RangeError(`${where}: threshold must be a finite number, got ${threshold}`);
  if (detector.direction === "p_value" && !(threshold > 0 && threshold <= 1)) {
    throw new RangeError(`${where}: a p-value threshold must be in (0, 1], got ${threshold}`);
  }
  return { detector, threshold };
}
