// Quantile binning of numeric columns, exactly as DESIGN defines it: bin edges are the unique
// numpy linear-interpolation quantiles of the reference at 0.1, 0.2, …, 0.9, and a value's bin
// is the number of edges strictly below it (numpy `searchsorted(edges, value, side="left")`).
// The quantile arithmetic reproduces numpy's floating-point steps so edges match bit for bit.

/** The quantile levels the edges are taken at: k/10 for k = 1…9 (the doubles 0.1 … 0.9). */
export const BIN_QUANTILE_LEVELS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(
  (k) => k / 10,
);

/**
 * numpy's `np.quantile(values, level)` (method "linear") of an ascending sorted sample,
 * including its floating-point form: virtual index (n−1)·level, then numpy's `_lerp`
 * (a + (b−a)·γ below γ = 0.5, b − (b−a)·(1−γ) from 0.5 on).
 */
export function linearQuantileSorted(sorted: ArrayLike<number>, level: number): number {
  const count = sorted.length;
  if (count === 0) throw new RangeError("linearQuantileSorted: the sample is empty");
  const virtualIndex = (count - 1) * level;
  if (virtualIndex >= count - 1) return sorted[count - 1]!;
  if (virtualIndex < 0) return sorted[0]!;
  const previousIndex = Math.floor(virtualIndex);
  const gamma = virtualIndex - previousIndex;
  const below = sorted[previousIndex]!;
  const above = sorted[previousIndex + 1]!;
  const difference = above - below;
  return gamma >= 0.5 ? above - difference * (1 - gamma) : below + difference * gamma;
}

/** Bin edges of a sorted reference sample: unique deciles, ascending (1 to 9 edges). */
export function referenceBinEdges(sortedReference: ArrayLike<number>): Float64Array {
  const quantiles = new Float64Array(BIN_QUANTILE_LEVELS.length);
  BIN_QUANTILE_LEVELS.forEach((level, index) => {
    quantiles[index] = linearQuantileSorted(sortedReference, level);
  });
  quantiles.sort();
  return uniqueSorted(quantiles);
}

/** Drops repeated values from an ascending array (np.unique on sorted input). */
export function uniqueSorted(sorted: Float64Array): Float64Array {
  let unique = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[unique - 1]) sorted[unique++] = sorted[i]!;
  }
  return sorted.slice(0, unique);
}

/** The bin of one value: how many edges lie strictly below it (0 … edges.length). */
export function binIndex(edges: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Per-bin counts (edges.length + 1 bins) of an ascending sorted sample, in one pass. */
export function binCountsSorted(sorted: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let bin = 0;
  let start = 0;
  for (let i = 0; i < sorted.length; i++) {
    const value = sorted[i]!;
    if (bin === edges.length || !(edges[bin]! < value)) continue;
    // value is above the current bin's upper edge: close the run and find its bin.
    counts[bin] += i - start;
    start = i;
    while (bin < edges.length && edges[bin]! < value) bin++;
  }
  counts[bin] += sorted.length - start;
  return counts;
}

/** Per-bin counts of a sample in any order (binary search per value). */
export function binCounts(values: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  for (let i = 0; i < values.length; i++) counts[binIndex(edges, values[i]!)]++;
  return counts;
}
