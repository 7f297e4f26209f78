// All of DESIGN's categorical-column figures for one reference/current pair of category counts:
// aligns both windows on the union of their categories, then PSI, JS and chi-squared on the
// count vectors.
import { chiSquaredTest } from "./chi-squared.js";
import { jensenShannonDistance } from "./jensen-shannon.js";
import { populationStabilityIndex } from "./psi.js";
import type { CategoricalDrift } from "./types.js";

/** Count vectors of both windows over the union of categories (sorted by code unit). */
export interface AlignedCategoryCounts {
  categories: string[];
  reference: Float64Array;
  current: Float64Array;
}

export function alignCategoryCounts(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
): AlignedCategoryCounts {
  // Categories counted 0 in both windows carry no information (and no expected count): dropped.
  const categories = [...new Set([...reference.keys(), ...current.keys()])]
    .filter((category) => (reference.get(category) ?? 0) + (current.get(category) ?? 0) !== 0)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const referenceCounts = new Float64Array(categories.length);
  const currentCounts = new Float64Array(categories.length);
  categories.forEach((category, index) => {
    referenceCounts[index] = reference.get(category) ?? 0;
    currentCounts[index] = current.get(category) ?? 0;
  });
  return { categories, reference: referenceCounts, current: currentCounts };
}

/**
 * Compare two categorical samples given as counts per category ("" is a category). Both must
 * hold at least one observation; counts must be finite and ≥ 0.
 */
export function compareCategorical(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
): CategoricalDrift {
  for (const [name, counts] of [
    ["reference", reference],
    ["current", current],
  ] as const) {
    for (const [category, count] of counts) {
      if (!(count >= 0) || !Number.isFinite(count)) {
        throw new RangeError(
          `${name} count of category ${JSON.stringify(category)} is ${count}, expected a finite number ≥ 0`,
        );
      }
    }
  }
  const aligned = alignCategoryCounts(reference, current);
  for (const [name, counts] of [
    ["reference", aligned.reference],
    ["current", aligned.current],
  ] as const) {
    if (!counts.some((count) => count > 0))
      throw new RangeError(`${name} window has no categorical observations`);
  }
  const chi2 = chiSquaredTest(aligned.reference, aligned.current);
  return {
    psi: populationStabilityIndex(aligned.reference, aligned.current),
    js: jensenShannonDistance(aligned.reference, aligned.current),
    chi2: { statistic: chi2.statistic, p_value: chi2.p_value },
  };
}
