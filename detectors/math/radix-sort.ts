// Ascending in-place sort of a Float64Array, about twice as fast as the built-in typed-array sort
// on large arrays: LSD radix sort on the IEEE-754 bit patterns mapped to unsigned keys that order
// like the numbers (negative: all bits flipped; positive: sign bit set), six passes of ≤ 11 bits,
// passes skipped where every key has the same digit. The keys live in separate Uint32Arrays and
// are only turned back into doubles at the end, so no NaN payload is ever read as a number.
// Order matches TypedArray.prototype.sort for finite values, −0 before +0, ±Infinity at the ends.
// Big arrays of few distinct values (integer codes, rounded figures) take a faster path with the
// same result (few-distinct-sort.ts), and so do big arrays of short decimals (decimal-sort.ts).

import { BUCKETS, DIGIT_MASK, prepareOffsets } from "./radix-digits.js";
import { sortShortDecimals } from "./decimal-sort.js";
import { sortFewDistinct } from "./few-distinct-sort.js";

/** Below this length the built-in sort is as fast and allocates nothing. */
const RADIX_MIN_LENGTH = 1 << 15;
/** Arrays with at most length / FEW_DISTINCT_RATIO (and ≤ MAX_FEW_DISTINCT) distinct values skip the radix sort. */
const FEW_DISTINCT_RATIO = 32;
const MAX_FEW_DISTINCT = 1 << 15;
/** (word, shift) of each pass: low word bits 0–10, 11–21, 22–31, then the high word likewise. */
const PASSES: readonly (readonly [word: 0 | 1, shift: number])[] = [
  [0, 0],
  [0, 11],
  [0, 22],
  [1, 0],
  [1, 11],
  [1, 22],
];

export function sortFloat64(values: Float64Array): Float64Array {
  const count = values.length;
  if (count < RADIX_MIN_LENGTH) return values.sort();
  const maxDistinct = Math.min(MAX_FEW_DISTINCT, Math.floor(count / FEW_DISTINCT_RATIO));
  if (sortFewDistinct(values, maxDistinct)) return values;
  if (sortShortDecimals(values)) return values;
  return radixSortFloat64(values);
}

/** The LSD radix sort itself (any length; sortFloat64 picks it for big arrays of many distinct values). */
export function radixSortFloat64(values: Float64Array): Float64Array {
  const count = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, count * 2);
  // keys[2i] = low word, keys[2i+1] = high word of element i's sortable key.
  let keys = new Uint32Array(count * 2);
  let spare = new Uint32Array(count * 2);
  const histograms = new Uint32Array(PASSES.length * BUCKETS);
  for (let i = 0; i < 2 * count; i += 2) {
    let lo = words[i]!;
    let hi = words[i + 1]!;
    if (hi & 0x80000000) {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    } else {
      hi = (hi | 0x80000000) >>> 0;
    }
    keys[i] = lo;
    keys[i + 1] = hi;
    histograms[lo & DIGIT_MASK]++;
    histograms[BUCKETS + ((lo >>> 11) & DIGIT_MASK)]++;
    histograms[2 * BUCKETS + (lo >>> 22)]++;
    histograms[3 * BUCKETS + (hi & DIGIT_MASK)]++;
    histograms[4 * BUCKETS + ((hi >>> 11) & DIGIT_MASK)]++;
    histograms[5 * BUCKETS + (hi >>> 22)]++;
  }
  const offsets = new Uint32Array(BUCKETS);
  for (let pass = 0; pass < PASSES.length; pass++) {
    if (!prepareOffsets(histograms, pass * BUCKETS, count, offsets)) continue;
    const [word, shift] = PASSES[pass]!;
    for (let i = 0; i < 2 * count; i += 2) {
      const position = 2 * offsets[(keys[i + word]! >>> shift) & DIGIT_MASK]++;
      spare[position] = keys[i]!;
      spare[position + 1] = keys[i + 1]!;
    }
    [keys, spare] = [spare, keys];
  }
  for (let i = 0; i < 2 * count; i += 2) {
    const hi = keys[i + 1]!;
    if (hi & 0x80000000) {
      words[i] = keys[i]!;
      words[i + 1] = hi & 0x7fffffff;
    } else {
      words[i] = ~keys[i]! >>> 0;
      words[i + 1] = ~hi >>> 0;
    }
  }
  return values;
}
