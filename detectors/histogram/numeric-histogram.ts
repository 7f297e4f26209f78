// The histogram form of a numeric reference/current pair, for windows too large to hold in
// memory: counts of both windows in fine bins cut at many reference quantiles (the monitoring
// service has ClickHouse count them). Bin b holds the values v with e(b−1) < v ≤ e(b) — the bin
// of v is the number of edges strictly below it, as for the decile bins — so the ECDF of each
// window is known exactly at every edge, which is what the KS and Wasserstein bounds rest on.
import { linearQuantileSorted, uniqueSorted } from "../binning/quantile-bins.js";

/** Default number of fine bins (edges at the reference quantiles k/1000). */
export const DEFAULT_FINE_BIN_COUNT = 1000;

export interface NumericHistogram {
  /** Ascending, distinct bin edges (E edges → E + 1 bins). */
  edges: ArrayLike<number>;
  /** Reference rows per bin (length E + 1). */
  referenceCounts: ArrayLike<number>;
  /** Current rows per bin (length E + 1). */
  currentCounts: ArrayLike<number>;
}

/**
 * Fine edges: unique numpy-linear quantiles of the sorted reference at k/binCount,
 * k = 1 … binCount−1. With binCount a multiple of 10 the decile edges are among them (k/10 and
 * (k·binCount/10)/binCount are the same double), so decile counts can be summed from fine ones.
 */
export function fineQuantileEdges(
  sortedReference: ArrayLike<number>,
  binCount = DEFAULT_FINE_BIN_COUNT,
): Float64Array {
  if (!Number.isInteger(binCount) || binCount < 2) {
    throw new RangeError(`fine bin count must be an integer ≥ 2, got ${binCount}`);
  }
  const quantiles = new Float64Array(binCount - 1);
  for (let k = 1; k < binCount; k++)
    quantiles[k - 1] = linearQuantileSorted(sortedReference, k / binCount);
  quantiles.sort();
  return uniqueSorted(quantiles);
}

/** Checks the histogram's shape and counts; returns the reference and current totals. */
export function validateHistogram(histogram: NumericHistogram): { n: number; m: number } {
  const { edges, referenceCounts, currentCounts } = histogram;
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i - 1]! < edges[i]!))
      throw new RangeError(`histogram edges must be strictly ascending (edge ${i})`);
  }
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i]!))
      throw new RangeError(`histogram edge ${i} is ${edges[i]}, expected a finite number`);
  }
  const totals = { n: 0, m: 0 };
  for (const [name, counts, key] of [
    ["reference", referenceCounts, "n"],
    ["current", currentCounts, "m"],
  ] as const) {
    if (counts.length !== edges.length + 1) {
      throw new RangeError(
        `${name} counts must have edges + 1 = ${edges.length + 1} bins, got ${counts.length}`,
      );
    }
    for (let i = 0; i < counts.length; i++) {
      const count = counts[i]!;
      if (!(count >= 0) || !Number.isInteger(count)) {
        throw new RangeError(`${name} count of bin ${i} is ${count}, expected an integer ≥ 0`);
      }
      totals[key] += count;
    }
    if (totals[key] === 0) throw new RangeError(`${name} histogram is empty`);
  }
  return totals;
}

/**
 * Sums fine-bin counts into the bins of `coarseEdges`, which must all be fine edges (e.g. the
 * reference deciles when the fine edges were cut at k/1000).
 */
export function coarsenCounts(
  fineEdges: ArrayLike<number>,
  fineCounts: ArrayLike<number>,
  coarseEdges: ArrayLike<number>,
): Float64Array {
  const coarse = new Float64Array(coarseEdges.length + 1);
  let coarseBin = 0;
  let fineIndex = 0;
  for (let c = 0; c < coarseEdges.length; c++) {
    while (fineIndex < fineEdges.length && fineEdges[fineIndex]! < coarseEdges[c]!) fineIndex++;
    if (fineEdges[fineIndex] !== coarseEdges[c]) {
      throw new RangeError(
        `coarse edge ${coarseEdges[c]} is not one of the fine edges; cannot merge bins exactly`,
      );
    }
    fineIndex++;
  }
  // Fine bin f spans (e(f−1), e(f)]: its coarse bin is the number of coarse edges < e(f).
  for (let fine = 0; fine < fineCounts.length; fine++) {
    const upper = fine < fineEdges.length ? fineEdges[fine]! : Number.POSITIVE_INFINITY;
    while (coarseBin < coarseEdges.length && coarseEdges[coarseBin]! < upper) coarseBin++;
    coarse[coarseBin] += fineCounts[fine]!;
  }
  return coarse;
}
