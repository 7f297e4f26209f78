// The two-sample Kolmogorov-Smirnov statistic D = sup |F_ref(x) − F_cur(x)| of two ascending
// sorted samples, computed as scipy.stats.ks_2samp does (ECDFs evaluated at every observed
// value, counting ties on both sides with searchsorted "right"), in one merged pass.
import { walkEcdfs } from "../ecdf-walk.js";

/** D of two non-empty ascending sorted samples; the ECDF differences use the same divisions as scipy. */
export function ksStatisticSorted(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): number {
  return walkEcdfs(reference, current).ksStatistic;
}
