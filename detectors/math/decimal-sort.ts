// Sorting a big Float64Array of decimal figures with few decimals (prices, amounts: 89034.25)
// faster than the 64-bit radix sort: when every value x is exactly k / 10^d for a 32-bit integer k
// (k = Math.round(x · 10^d), checked by dividing back), sorting the k's sorts the x's, and
// writing k / 10^d back restores each value bit for bit. The k's are sorted by an LSD radix sort
// on 32-bit keys (three passes of ≤ 11 bits, fewer when the range is small). Gives up, leaving the
// array untouched, on a value that is not such a decimal (NaN, ±Infinity, −0, too many decimals).

import { BUCKETS, DIGIT_BITS, DIGIT_MASK, prepareOffsets } from "./radix-digits.js";

const SCALES = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
/** Values looked at to choose the number of decimals. */
const PROBE = 64;

/** Sorts `values` ascending in place when they are all short decimals; false (untouched) otherwise. */
export function sortShortDecimals(values: Float64Array): boolean {
  const count = values.length;
  const scale = chooseScale(values.subarray(0, Math.min(count, PROBE)));
  if (scale === null) return false;
  const integers = new Int32Array(count);
  let min = 2147483647;
  for (let i = 0; i < count; i++) {
    const x = values[i]!;
    const k = Math.round(x * scale);
    if (!(k >= -2147483648 && k <= 2147483647) || k / scale !== x) return false;
    if (x === 0 && 1 / x < 0) return false; // −0 would come back as +0
    integers[i] = k;
    if (k < min) min = k;
  }
  let keys = new Uint32Array(integers.buffer);
  const histograms = new Uint32Array(3 * BUCKETS);
  for (let i = 0; i < count; i++) {
    const key = (keys[i]! - min) >>> 0;
    keys[i] = key;
    histograms[key & DIGIT_MASK]++;
    histograms[BUCKETS + ((key >>> 11) & DIGIT_MASK)]++;
    histograms[2 * BUCKETS + (key >>> 22)]++;
  }
  let spare = new Uint32Array(count);
  const offsets = new Uint32Array(BUCKETS);
  for (let pass = 0; pass < 3; pass++) {
    if (!prepareOffsets(histograms, pass * BUCKETS, count, offsets)) continue;
    const shift = pass * DIGIT_BITS;
    for (let i = 0; i < count; i++) {
      const key = keys[i]!;
      spare[offsets[(key >>> shift) & DIGIT_MASK]++] = key;
    }
    [keys, spare] = [spare, keys];
  }
  for (let i = 0; i < count; i++) values[i] = (keys[i]! + min) / scale;
  return true;
}

/** The smallest scale at which every probed value is an integer over it, or null. */
function chooseScale(probe: Float64Array): number | null {
  for (const scale of SCALES) {
    if (probe.every((x) => Math.round(x * scale) / scale === x)) return scale;
  }
  return null;
}
