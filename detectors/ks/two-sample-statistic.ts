// The two-sample Kolmogorov-Smirnov statistic D = sup |F_ref(x) − F_cur(x)| of two ascending
// sorted samples, computed as scipy.stats.ks_2samp does (ECDFs evaluated at every observed
// value, counting ties on both sides with searchsorted "right"), in one merged pass.

/** D of two non-empty ascending sorted samples; the ECDF differences use the same divisions as scipy. */
export function ksStatisticSorted(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): number {
  const n = reference.length;
  const m = current.length;
  if (n === 0 || m === 0) throw new RangeError("ks: both samples must be non-empty");
  let largestAbove = 0; // max of F_ref − F_cur (≥ 0: the difference is 0 past the last value)
  let largestBelow = 0; // max of F_cur − F_ref, clipped at 0 as scipy does
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const value =
      i === n ? current[j]! : j === m ? reference[i]! : Math.min(reference[i]!, current[j]!);
    while (i < n && reference[i]! <= value) i++;
    while (j < m && current[j]! <= value) j++;
    const difference = i / n - j / m;
    if (difference > largestAbove) largestAbove = difference;
    else if (-difference > largestBelow) largestBelow = -difference;
  }
  return Math.max(largestAbove, largestBelow);
}
