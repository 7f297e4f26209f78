// Pearson's chi-squared test of homogeneity on the 2×k table of reference and current counts
// per category (scipy.stats.chi2_contingency(table, correction=False)): statistic
// Σ (observed − expected)²/expected with expected = row total × column total / grand total,
// p-value from the chi-squared distribution with k − 1 degrees of freedom. The test for
// categorical columns with small-to-moderate windows; like every p-value it becomes
// "significant" for negligible differences once windows are large.
import type { TestResult } from "./types.js";
import { DRIFT_TEST } from "./vocabulary/metric-names.js";
import { assertCountPair, countTotal } from "./math/counts.js";
import { chiSquaredSurvival } from "./math/incomplete-gamma.js";
import { numpySum } from "./math/numpy-sum.js";

export interface ChiSquaredResult extends TestResult {
  degrees_of_freedom: number;
}

/**
 * Chi-squared test of two count vectors over the same categories (histogram form). Every
 * category must be seen in at least one window (a column total of 0 has no expected count).
 * With a single category there is nothing to compare: like scipy, statistic 0 and p-value 1.
 */
export function chiSquaredTest(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): ChiSquaredResult {
  assertCountPair(DRIFT_TEST.chi2, referenceCounts, currentCounts);
  const categories = referenceCounts.length;
  const referenceTotal = countTotal(referenceCounts);
  const currentTotal = countTotal(currentCounts);
  const grandTotal = referenceTotal + currentTotal;
  const degrees = categories - 1;
  if (degrees === 0) return { statistic: 0, p_value: 1, degrees_of_freedom: 0 };
  // scipy sums the terms of the flattened table: the reference row, then the current row.
  const terms = new Float64Array(2 * categories);
  for (let i = 0; i < categories; i++) {
    const columnTotal = referenceCounts[i]! + currentCounts[i]!;
    if (columnTotal === 0) {
      throw new RangeError(
        `chi2: category ${i} has no observations in either window (expected count 0)`,
      );
    }
    const expectedReference = (referenceTotal * columnTotal) / grandTotal;
    const expectedCurrent = (currentTotal * columnTotal) / grandTotal;
    const referenceGap = referenceCounts[i]! - expectedReference;
    const currentGap = currentCounts[i]! - expectedCurrent;
    terms[i] = (referenceGap * referenceGap) / expectedReference;
    terms[categories + i] = (currentGap * currentGap) / expectedCurrent;
  }
  const statistic = numpySum(terms);
  return {
    statistic,
    p_value: chiSquaredSurvival(statistic, degrees),
    degrees_of_freedom: degrees,
  };
}
