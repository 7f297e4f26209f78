// One column of `check`: the detectors' figures for a column present in both files, or the reason
// it cannot be compared. Every figure is checked to be finite before it is reported.
import {
  type CategoricalDrift,
  compareCategorical,
  compareNumeric,
  type NumericDrift,
} from "../../detectors/index.js";
import type { CollectedColumn } from "./column-collector.js";

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

function missingReason(reference: CollectedColumn, current: CollectedColumn): string | null {
  if (reference.nonMissing === 0 && current.nonMissing === 0) {
    return "every value is missing in both files";
  }
  if (reference.nonMissing === 0) return "every value is missing in the reference file";
  if (current.nonMissing === 0) return "every value is missing in the current file";
  return null;
}

export function compareColumn(
  kind: "numeric" | "categorical",
  reference: CollectedColumn,
  current: CollectedColumn,
): ColumnComparison {
  const missing = missingReason(reference, current);
  if (missing !== null) return { computable: false, reason: missing };
  try {
    if (kind === "numeric") {
      const result = compareNumeric(reference.values, current.values);
      const bad = firstNonFinite({
        psi: result.psi,
        js: result.js,
        "ks.statistic": result.ks.statistic,
        "ks.p_value": result.ks.p_value,
        wasserstein: result.wasserstein,
        wasserstein_normed: result.wasserstein_normed,
      });
      if (bad !== null) return { computable: false, reason: `${bad} is not a finite number` };
      return { computable: true, kind, result };
    }
    const result = compareCategorical(reference.counts, current.counts);
    const bad = firstNonFinite({
      psi: result.psi,
      js: result.js,
      "chi2.statistic": result.chi2.statistic,
      "chi2.p_value": result.chi2.p_value,
    });
    if (bad !== null) return { computable: false, reason: `${bad} is not a finite number` };
    return { computable: true, kind, result };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { computable: false, reason: `the statistics could not be computed: ${message}` };
  }
}
