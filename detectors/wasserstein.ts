// Wasserstein-1 (earth mover's) distance between the reference and current samples: the area
// between their empirical CDFs, ∫ |F_ref(x) − F_cur(x)| dx, in the column's own units (as
// scipy.stats.wasserstein_distance). It sees shifts anywhere in the distribution, including
// within a decile, and grows with the size of the shift rather than saturating like KS. The
// normed form divides by the reference's population standard deviation so one threshold (DESIGN:
// 0.1) fits columns of any scale; the default rule uses it for large reference windows.
import { walkEcdfs } from "./ecdf-walk.js";
import { CompensatedSum } from "./math/compensated-sum.js";

/**
 * scipy.stats.wasserstein_distance(reference, current) of two ascending sorted samples, in one
 * merged pass: at each distinct value the ECDF gap |i/n − j/m| times the distance to the next
 * distinct value.
 */
export function wassersteinDistanceSorted(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): number {
  return walkEcdfs(reference, current).wasserstein;
}

/** Population standard deviation (ddof = 0), with a compensated mean and sum of squares. */
export function populationStandardDeviation(values: ArrayLike<number>): number {
  const count = values.length;
  if (count === 0) throw new RangeError("standard deviation of an empty sample");
  const total = new CompensatedSum();
  for (let i = 0; i < count; i++) total.add(values[i]!);
  const mean = total.value / count;
  const squares = new CompensatedSum();
  for (let i = 0; i < count; i++) {
    const deviation = values[i]! - mean;
    squares.add(deviation * deviation);
  }
  return Math.sqrt(squares.value / count);
}

/** Wasserstein distance divided by the reference's std (ddof 0); the raw distance if that is 0. */
export function normedWasserstein(distance: number, referenceStandardDeviation: number): number {
  return referenceStandardDeviation > 0 ? distance / referenceStandardDeviation : distance;
}
