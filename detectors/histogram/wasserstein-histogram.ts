// Wasserstein-1 distance from a fine histogram (histogram form for large windows): an estimate
// with guaranteed lower and upper bounds.
//
// W = ∫ |F(x) − G(x)| dx. On bin b = (lo, hi] (the outer bins closed by the smallest and largest
// value of either window) F rises from a0 = F(lo) to a1 = F(hi) and G from c0 to c1, both
// monotone but otherwise unknown, so for every x in the bin
//   max(0, a0 − c1, c0 − a1) ≤ |F(x) − G(x)| ≤ max(a1 − c0, c1 − a0).
// Integrating these over each bin's width gives W_lower ≤ W ≤ W_upper; the gap is at most
// Σ_b width_b·(p_b + q_b). The estimate interpolates both CDFs linearly inside each bin (values
// spread evenly) and integrates |F − G| exactly; it always lies between the bounds.
import { CompensatedSum } from "../math/compensated-sum.js";
import { validateHistogram, type NumericHistogram } from "./numeric-histogram.js";

export interface HistogramWassersteinResult {
  estimate: number;
  lower_bound: number;
  upper_bound: number;
}

/** Smallest and largest value over both windows (closes the two outer bins). */
export interface ValueRange {
  min: number;
  max: number;
}

export function wassersteinFromHistogram(
  histogram: NumericHistogram,
  range: ValueRange,
): HistogramWassersteinResult {
  const { n, m } = validateHistogram(histogram);
  const { edges, referenceCounts, currentCounts } = histogram;
  if (!(Number.isFinite(range.min) && Number.isFinite(range.max) && range.min <= range.max)) {
    throw new RangeError(
      `value range must be finite with min ≤ max, got [${range.min}, ${range.max}]`,
    );
  }
  if (edges.length > 0 && (range.min > edges[0]! || range.max < edges[edges.length - 1]!)) {
    throw new RangeError(
      "value range must cover the histogram's edges (min ≤ first edge, last edge ≤ max)",
    );
  }
  const estimate = new CompensatedSum();
  const lower = new CompensatedSum();
  const upper = new CompensatedSum();
  let a0 = 0;
  let c0 = 0;
  let referenceBelow = 0;
  let currentBelow = 0;
  for (let bin = 0; bin < referenceCounts.length; bin++) {
    referenceBelow += referenceCounts[bin]!;
    currentBelow += currentCounts[bin]!;
    const a1 = referenceBelow / n;
    const c1 = currentBelow / m;
    const lo = bin === 0 ? range.min : edges[bin - 1]!;
    const hi = bin === edges.length ? range.max : edges[bin]!;
    const width = hi - lo;
    if (width > 0) {
      lower.add(width * Math.max(0, a0 - c1, c0 - a1));
      upper.add(width * Math.max(a1 - c0, c1 - a0));
      estimate.add(width * integralOfAbsoluteLinear(a0 - c0, a1 - c1));
    }
    a0 = a1;
    c0 = c1;
  }
  return { estimate: estimate.value, lower_bound: lower.value, upper_bound: upper.value };
}

/** ∫₀¹ |d0 + (d1 − d0)·t| dt. */
function integralOfAbsoluteLinear(d0: number, d1: number): number {
  if ((d0 >= 0 && d1 >= 0) || (d0 <= 0 && d1 <= 0)) return Math.abs(d0 + d1) / 2;
  return (d0 * d0 + d1 * d1) / (2 * Math.abs(d1 - d0));
}
