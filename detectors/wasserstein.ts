// Wasserstein-1 (earth mover's) distance between the reference and current samples: the area
// between their empirical CDFs, ∫ |F_ref(x) − F_cur(x)| dx, in the column's own units (as
// scipy.stats.wasserstein_distance). It sees shifts anywhere in the distribution, including
// within a decile, and grows with the size of the shift rather than saturating like KS. The
// normed form divides by the reference's population standard deviation so one threshold (DESIGN:
// 0.1) fits columns of any scale; the default rule uses it for large reference windows.
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
  const n = reference.length;
  const m = current.length;
  if (n === 0 || m === 0) throw new RangeError("wasserstein: both samples must be non-empty");
  const area = new CompensatedSum();
  let i = 0;
  let j = 0;
  let value = Math.min(reference[0]!, current[0]!);
  for (;;) {
    while (i < n && reference[i]! <= value) i++;
    while (j < m && current[j]! <= value) j++;
    if (i === n && j === m) break;
    const next =
      i === n ? current[j]! : j === m ? reference[i]! : Math.min(reference[i]!, current[j]!);
    area.add(Math.abs(i / n - j / m) * (next - value));
    value = next;
  }
  return area.value;
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
