// Two-sample Kolmogorov-Smirnov test: D = the largest gap between the two empirical CDFs, and
// its two-sided p-value exactly as scipy.stats.ks_2samp(reference, current) with the default
// method="auto": the exact lattice-path p-value when both sizes are ≤ 10000 (falling back,
// as scipy does, when that computation is numerically unusable), otherwise the finite-n
// one-sample distribution kstwo at n = round(n₁n₂/(n₁+n₂)). Sensitive to any difference in
// location or shape; with large samples tiny shifts become "significant", which is why the
// default rule only uses it for reference windows of ≤ 1000 rows.
import { exactTwoSampleKs, roundHalfToEven } from "./exact-two-sample.js";
import { kolmogorovSurvival } from "./kolmogorov-distribution.js";
import { ksStatisticSorted } from "./two-sample-statistic.js";

/** scipy's method="auto" tries the exact p-value when both sample sizes are at most this. */
export const KS_MAX_EXACT_SIZE = 10_000;

export type KsMethod = "exact" | "asymptotic";

export interface KsTestResult {
  statistic: number;
  p_value: number;
  /** Which p-value scipy's method="auto" would have produced. */
  method: KsMethod;
}

/** KS test of two non-empty ascending sorted samples (use ksTestFromStatistic when D is known). */
export function ksTestSorted(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): KsTestResult {
  return ksTestFromStatistic(
    ksStatisticSorted(reference, current),
    reference.length,
    current.length,
  );
}

/** The p-value part: D observed between samples of sizes n (reference) and m (current). */
export function ksTestFromStatistic(statistic: number, n: number, m: number): KsTestResult {
  let d = statistic;
  if (Math.max(n, m) <= KS_MAX_EXACT_SIZE) {
    const exact = exactTwoSampleKs(n, m, d);
    if (exact.usable) return { statistic: exact.statistic, p_value: exact.pValue, method: "exact" };
    d = exact.statistic;
  }
  return { statistic: d, p_value: asymptoticKsPValue(d, n, m), method: "asymptotic" };
}

/** scipy's "asymp" two-sided p-value: kstwo.sf(d, round(n·m/(n+m))). */
export function asymptoticKsPValue(d: number, n: number, m: number): number {
  const larger = Math.max(n, m);
  const smaller = Math.min(n, m);
  const effectiveSize = roundHalfToEven((larger * smaller) / (larger + smaller));
  if (effectiveSize < 1) return 1;
  if (d <= 0.5 / effectiveSize) return 1;
  return Math.min(1, Math.max(0, kolmogorovSurvival(effectiveSize, d)));
}
