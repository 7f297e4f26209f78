// One column of `check`: the detectors' figures for a column present in both files, or the reason
// it cannot be compared. Every figure is checked to be finite before it is reported.
import {
  type CategoricalDrift,
  compareCategorical,
  compareNumeric,
  compareNumericPrepared,
  type NumericDrift,
  type PreparedNumericReference,
} from "../../detectors/index.js";

/** What the comparison of one column needs of one file (or one chunk of it). */
export interface ColumnSample {
  /** Finite numeric values (numeric columns). */
  readonly values: Float64Array;
  /** Counts per category (categorical columns). */
  readonly counts: ReadonlyMap<string, number>;
  /** Non-missing values, non-finite ones included. */
  readonly nonMissing: number;
  readonly missing: number;
  /** Numbers that are not finite (1e400, inf): the column cannot be compared. */
  readonly nonFinite: number;
}

export type ColumnComparison =
  | { computable: true; kind: "numeric"; result: NumericDrift }
  | { computable: true; kind: "categorical"; result: CategoricalDrift }
  | { computable: false; reason: string };

function firstNonFinite(figures: Record<string, number>): string | null {
  for (const [name, value] of Object.entries(figures)) {
    if (!Number.isFinite(value)) return name;
  }
  return null;
}

/**
 * Why a column cannot be compared because of missing or non-finite values (the same reason in
 * CSV and JSONL), or null when it can.
 */
export function missingReason(reference: ColumnSample, current: ColumnSample): string | null {
  if (reference.nonFinite > 0 || current.nonFinite > 0) {
    return (
      `non-finite values (e.g. 1e400 or inf): ${reference.nonFinite} in the reference file, ` +
      `${current.nonFinite} in the current file`
    );
  }
  if (reference.nonMissing === 0 && current.nonMissing === 0) {
    return "every value is missing in both files";
  }
  if (reference.nonMissing === 0) return "every value is missing in the reference file";
  if (current.nonMissing === 0) return "every value is missing in the current file";
  return null;
}

function failure(error: unknown): ColumnComparison {
  const message = error instanceof Error ? error.message : String(error);
  return { computable: false, reason: `the statistics could not be computed: ${message}` };
}

/**
 * Numeric figures of two non-empty samples (the detectors sort them in place); the reference may
 * come prepared (sorted once, for many chunks), with the same figures.
 */
export function compareNumericValues(
  reference: Float64Array | PreparedNumericReference,
  current: Float64Array,
): ColumnComparison {
  try {
    const result =
      reference instanceof Float64Array
        ? compareNumeric(reference, current)
        : compareNumericPrepared(reference, current);
    const bad = firstNonFinite({
      psi: result.psi,
      js: result.js,
      "ks.statistic": result.ks.statistic,
      "ks.p_value": result.ks.p_value,
      wasserstein: result.wasserstein,
      wasserstein_normed: result.wasserstein_normed,
    });
    if (bad !== null) return { computable: false, reason: `${bad} is not a finite number` };
    return { computable: true, kind: "numeric", result };
  } catch (error) {
    return failure(error);
  }
}

/** Categorical figures of two non-empty count tables. */
export function compareCategoricalCounts(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
): ColumnComparison {
  try {
    const result = compareCategorical(reference, current);
    const bad = firstNonFinite({
      psi: result.psi,
      js: result.js,
      "chi2.statistic": result.chi2.statistic,
      "chi2.p_value": result.chi2.p_value,
    });
    if (bad !== null) return { computable: false, reason: `${bad} is not a finite number` };
    return { computable: true, kind: "categorical", result };
  } catch (error) {
    return failure(error);
  }
}

/** @param prepared the reference's values already prepared (numeric columns compared by chunk). */
export function compareColumn(
  kind: "numeric" | "categorical",
  reference: ColumnSample,
  current: ColumnSample,
  prepared?: PreparedNumericReference,
): ColumnComparison {
  const missing = missingReason(reference, current);
  if (missing !== null) return { computable: false, reason: missing };
  return kind === "numeric"
    ? compareNumericValues(prepared ?? reference.values, current.values)
    : compareCategoricalCounts(reference.counts, current.counts);
}
