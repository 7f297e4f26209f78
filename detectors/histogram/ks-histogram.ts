// KS from a fine histogram (histogram form for large windows), with a proven error bound.
//
// Let F, G be the reference and current ECDFs and e(0) < … < e(E−1) the edges; bin b spans
// (e(b−1), e(b)] with e(−1) = −∞, e(E) = +∞, and p_b, q_b are the reference and current shares
// of bin b. Because bins are right-closed, F(e(b)) and G(e(b)) are known exactly (cumulative
// counts), so
//   D_hist = max_b |F(e(b)) − G(e(b))|  ≤  D = sup_x |F(x) − G(x)|        (edges are points x).
// For x inside bin b, F and G are non-decreasing, so F(x) ≤ F(e(b)) and G(x) ≥ G(e(b−1)):
//   F(x) − G(x) ≤ F(e(b)) − G(e(b−1)) = [F(e(b)) − G(e(b))] + q_b ≤ D_hist + q_b,
// and symmetrically G(x) − F(x) ≤ G(e(b)) − F(e(b−1)) ≤ D_hist + p_b. Hence
//   D_hist ≤ D ≤ D_upper := max(D_hist, max_b [F(e(b)) − G(e(b−1))], max_b [G(e(b)) − F(e(b−1))])
//          ≤ D_hist + max_b max(p_b, q_b),
// i.e. the error is at most the largest bin mass of either sample (about 1/1000 with edges at
// reference quantiles k/1000 and no heavy ties). The p-value reported is computed from D_hist,
// so it is never smaller than the exact one (p is decreasing in D): a conservative drift signal.
import { ksTestFromStatistic, type KsMethod } from "../ks/ks-test.js";
import { validateHistogram, type NumericHistogram } from "./numeric-histogram.js";

export interface HistogramKsResult {
  /** D at the edges: a lower bound of the exact statistic. */
  statistic: number;
  /** Upper bound of the exact statistic. */
  statistic_upper_bound: number;
  /** max over bins of the larger bin share: statistic_upper_bound − statistic never exceeds it. */
  max_bin_mass: number;
  /** p-value of `statistic` (≥ the exact p-value). */
  p_value: number;
  /** p-value of `statistic_upper_bound` (≤ the exact p-value). */
  p_value_lower_bound: number;
  method: KsMethod;
}

export function ksFromHistogram(histogram: NumericHistogram): HistogramKsResult {
  const { n, m } = validateHistogram(histogram);
  const { referenceCounts, currentCounts } = histogram;
  let statistic = 0;
  let upper = 0;
  let maxBinMass = 0;
  let referenceBelow = 0; // cumulative counts up to the previous edge
  let currentBelow = 0;
  for (let bin = 0; bin < referenceCounts.length; bin++) {
    const referenceUpTo = referenceBelow + referenceCounts[bin]!;
    const currentUpTo = currentBelow + currentCounts[bin]!;
    const gapAtEdge = referenceUpTo / n - currentUpTo / m;
    statistic = Math.max(statistic, Math.abs(gapAtEdge));
    upper = Math.max(
      upper,
      referenceUpTo / n - currentBelow / m,
      currentUpTo / m - referenceBelow / n,
    );
    maxBinMass = Math.max(maxBinMass, referenceCounts[bin]! / n, currentCounts[bin]! / m);
    referenceBelow = referenceUpTo;
    currentBelow = currentUpTo;
  }
  upper = Math.max(upper, statistic);
  const atStatistic = ksTestFromStatistic(statistic, n, m);
  // The bound costs a second p-value series (milliseconds at n ≈ 10⁶) and few callers read it:
  // computed on first read, then kept.
  let lowerBound: number | undefined;
  return {
    statistic,
    statistic_upper_bound: upper,
    max_bin_mass: maxBinMass,
    p_value: atStatistic.p_value,
    get p_value_lower_bound(): number {
      lowerBound ??= Math.min(ksTestFromStatistic(upper, n, m).p_value, atStatistic.p_value);
      return lowerBound;
    },
    method: atStatistic.method,
  };
}
