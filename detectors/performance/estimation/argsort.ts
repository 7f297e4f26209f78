// Stable ascending argsort of finite doubles: the row indices in score order, which every
// sorted walk of the estimation (isotonic fit, expected ROC AUC, reference chunks) starts from.
// LSD radix sort on the IEEE-754 bit patterns mapped to order-preserving unsigned keys (as
// detectors/math/radix-sort.ts does for values), carrying the row index; passes whose digit is
// the same for every key are skipped. Small arrays use the built-in sort with an index tiebreak.

import { BUCKETS, DIGIT_BITS, DIGIT_MASK, prepareOffsets } from "../../math/radix-digits.js";

const RADIX_MIN_LENGTH = 1 << 12;
const PASS_COUNT = 6; // bits 0–10, 11–21, 22–31 of the low word, then of the high word

/** Indices 0…n−1 ordered by ascending value, equal values in index order (stable). */
export function argsortAscending(values: Float64Array): Uint32Array {
  const count = values.length;
  if (count < RADIX_MIN_LENGTH) {
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i += 1) order[i] = i;
    return order.sort((left, right) => values[left]! - values[right]! || left - right);
  }
  const words = new Uint32Array(values.buffer, values.byteOffset, count * 2);
  let keys = new Uint32Array(count * 2);
  let spareKeys = new Uint32Array(count * 2);
  let order = new Uint32Array(count);
  let spareOrder = new Uint32Array(count);
  const histograms = new Uint32Array(PASS_COUNT * BUCKETS);
  for (let i = 0; i < count; i += 1) {
    let lo = words[2 * i]!;
    let hi = words[2 * i + 1]!;
    if (hi & 0x80000000) {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    } else {
      hi = (hi | 0x80000000) >>> 0;
    }
    keys[2 * i] = lo;
    keys[2 * i + 1] = hi;
    order[i] = i;
    histograms[lo & DIGIT_MASK]!++;
    histograms[BUCKETS + ((lo >>> 11) & DIGIT_MASK)]!++;
    histograms[2 * BUCKETS + (lo >>> 22)]!++;
    histograms[3 * BUCKETS + (hi & DIGIT_MASK)]!++;
    histograms[4 * BUCKETS + ((hi >>> 11) & DIGIT_MASK)]!++;
    histograms[5 * BUCKETS + (hi >>> 22)]!++;
  }
  const offsets = new Uint32Array(BUCKETS);
  for (let pass = 0; pass < PASS_COUNT; pass += 1) {
    if (!prepareOffsets(histograms, pass * BUCKETS, count, offsets)) continue;
    const word = pass < 3 ? 0 : 1;
    const shift = (pass % 3) * DIGIT_BITS;
    for (let i = 0; i < count; i += 1) {
      const position = offsets[(keys[2 * i + word]! >>> shift) & DIGIT_MASK]!++;
      spareKeys[2 * position] = keys[2 * i]!;
      spareKeys[2 * position + 1] = keys[2 * i + 1]!;
      spareOrder[position] = order[i]!;
    }
    [keys, spareKeys] = [spareKeys, keys];
    [order, spareOrder] = [spareOrder, order];
  }
  return order;
}
