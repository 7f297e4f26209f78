// Population Stability Index (PSI): Σ (q − p)·ln(q / p) over bins, p the reference share of a
// bin and q the current share, both floored at 1e-4 so empty bins stay finite. A symmetric,
// unbounded distance between two binned distributions; the usual reading is < 0.1 stable,
// 0.1–0.2 moderate shift, ≥ 0.2 significant shift. Use it for numeric columns binned at
// reference deciles and for categorical columns (one bin per category); it only sees the bins,
// so a shift inside one bin goes unnoticed.
import { DRIFT_TEST } from "./vocabulary/metric-names.js";
import { assertCountPair, proportions } from "./math/counts.js";
import { numpySum } from "./math/numpy-sum.js";

/** Smallest share a bin is given, so that ln(q/p) stays finite for empty bins. */
export const PSI_PROPORTION_FLOOR = 1e-4;

/** PSI of two count vectors over the same bins (histogram form; counts need not be integers). */
export function populationStabilityIndex(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): number {
  assertCountPair(DRIFT_TEST.psi, referenceCounts, currentCounts);
  const referenceShares = proportions(referenceCounts);
  const currentShares = proportions(currentCounts);
  const terms = new Float64Array(referenceShares.length);
  for (let i = 0; i < terms.length; i++) {
    const p = Math.max(referenceShares[i]!, PSI_PROPORTION_FLOOR);
    const q = Math.max(currentShares[i]!, PSI_PROPORTION_FLOOR);
    terms[i] = (q - p) * Math.log(q / p);
  }
  return numpySum(terms);
}
