// Summation in the same order as numpy's `np.sum` on a contiguous float64 array (pairwise
// summation: blocks of up to 128 values summed with 8 interleaved accumulators, larger ranges
// split in two). Matching numpy's order makes short sums (PSI, JS, chi-squared terms) equal
// numpy's bit for bit instead of merely within rounding error.

const BLOCK_SIZE = 128;
const UNROLL = 8;

/** Sum of `values[start, end)` added in numpy's pairwise order. */
export function numpySum(values: ArrayLike<number>, start = 0, end = values.length): number {
  // numpy starts the reduction from the identity 0 and adds the pairwise sum of the whole range.
  return 0 + pairwiseSum(values, start, end - start);
}

function pairwiseSum(values: ArrayLike<number>, start: number, count: number): number {
  if (count < UNROLL) {
    let result = -0;
    for (let i = 0; i < count; i++) result += values[start + i]!;
    return result;
  }
  if (count <= BLOCK_SIZE) {
    let r0 = values[start]!;
    let r1 = values[start + 1]!;
    let r2 = values[start + 2]!;
    let r3 = values[start + 3]!;
    let r4 = values[start + 4]!;
    let r5 = values[start + 5]!;
    let r6 = values[start + 6]!;
    let r7 = values[start + 7]!;
    const unrolledEnd = count - (count % UNROLL);
    let i = UNROLL;
    for (; i < unrolledEnd; i += UNROLL) {
      const at = start + i;
      r0 += values[at]!;
      r1 += values[at + 1]!;
      r2 += values[at + 2]!;
      r3 += values[at + 3]!;
      r4 += values[at + 4]!;
      r5 += values[at + 5]!;
      r6 += values[at + 6]!;
      r7 += values[at + 7]!;
    }
    let result = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < count; i++) result += values[start + i]!;
    return result;
  }
  let half = Math.floor(count / 2);
  half -= half % UNROLL;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, count - half);
}
