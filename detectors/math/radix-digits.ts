// What the LSD radix sorts (radix-sort.ts, decimal-sort.ts) share: 11-bit digits and the
// per-pass bucket offsets.

export const DIGIT_BITS = 11;
export const BUCKETS = 1 << DIGIT_BITS;
export const DIGIT_MASK = BUCKETS - 1;

/** Exclusive prefix sums of one pass's histogram; false when one bucket holds every key. */
export function prepareOffsets(
  histograms: Uint32Array,
  base: number,
  count: number,
  offsets: Uint32Array,
): boolean {
  let running = 0;
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    const size = histograms[base + bucket]!;
    if (size === count) return false;
    offsets[bucket] = running;
    running += size;
  }
  return true;
}
