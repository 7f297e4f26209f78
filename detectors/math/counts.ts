// Helpers shared by the count-vector (histogram) forms of the detectors: validation of a pair
// of count vectors and conversion of counts to proportions.

/** Total of a count vector (exact: counts are integers well below 2^53). */
export function countTotal(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  return total;
}

/**
 * Checks that two count vectors describe the same bins (same length ≥ 1), hold only finite
 * non-negative numbers, and that neither is all zero. `detector` names the caller in errors.
 */
export function assertCountPair(
  detector: string,
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): void {
  if (referenceCounts.length !== currentCounts.length) {
    throw new RangeError(
      `${detector}: reference and current counts must have the same number of bins ` +
        `(got ${referenceCounts.length} and ${currentCounts.length})`,
    );
  }
  if (referenceCounts.length === 0) throw new RangeError(`${detector}: no bins given`);
  for (const [name, counts] of [
    ["reference", referenceCounts],
    ["current", currentCounts],
  ] as const) {
    for (let i = 0; i < counts.length; i++) {
      const count = counts[i]!;
      if (!(count >= 0) || !Number.isFinite(count)) {
        throw new RangeError(
          `${detector}: ${name} count of bin ${i} is ${count}, expected a finite number ≥ 0`,
        );
      }
    }
    if (countTotal(counts) === 0)
      throw new RangeError(`${detector}: the ${name} counts are all zero`);
  }
}

/** counts / total, each division rounded once (as numpy's `counts / n`). */
export function proportions(counts: ArrayLike<number>): Float64Array {
  const total = countTotal(counts);
  const result = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) result[i] = counts[i]! / total;
  return result;
}
