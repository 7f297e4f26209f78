// Jensen-Shannon distance (base 2): the square root of the Jensen-Shannon divergence between
// the reference and current bin shares, as scipy.spatial.distance.jensenshannon(p, q, base=2)
// computes it on the raw (unfloored) proportions. Bounded in [0, 1], symmetric, finite even
// when a bin is empty in one window; a good default distance for large samples where
// p-values of tests are uselessly small. Numeric columns use the reference-decile bins,
// categorical columns one bin per category.
import { DRIFT_TEST } from "./vocabulary/metric-names.js";
import { assertCountPair, proportions } from "./math/counts.js";
import { numpySum } from "./math/numpy-sum.js";

/** scipy.special.rel_entr(x, y) = x·ln(x/y) for x, y > 0, 0 for x = 0 (y ≥ 0). */
function relativeEntropyTerm(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Number.POSITIVE_INFINITY;
}

/** Jensen-Shannon distance of two count vectors over the same bins (histogram form). */
export function jensenShannonDistance(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): number {
  assertCountPair(DRIFT_TEST.js, referenceCounts, currentCounts);
  // scipy normalises its inputs again (p / Σp); Σ of proportions can differ from 1 by an ulp.
  const p = renormalised(proportions(referenceCounts));
  const q = renormalised(proportions(currentCounts));
  const left = new Float64Array(p.length);
  const right = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    left[i] = relativeEntropyTerm(p[i]!, m);
    right[i] = relativeEntropyTerm(q[i]!, m);
  }
  const divergence = (numpySum(left) + numpySum(right)) / Math.LN2;
  // Rounding can leave a divergence of identical shares a hair below 0 (scipy would say NaN).
  return Math.sqrt(Math.max(0, divergence) / 2);
}

function renormalised(shares: Float64Array): Float64Array {
  const total = numpySum(shares);
  for (let i = 0; i < shares.length; i++) shares[i] = shares[i]! / total;
  return shares;
}
