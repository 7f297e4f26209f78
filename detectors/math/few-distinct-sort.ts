// Sorting a big Float64Array that holds few distinct values (integer codes, counts, rounded
// measurements) without a radix sort: one pass counts each distinct bit pattern in a small
// open-addressing hash table, the distinct values are sorted with the built-in sort, and each is
// written back as many times as it occurred. The result is bit for bit the radix sort's: both are
// permutations of the input's bit patterns in the same order (−0 before +0). Gives up, leaving the
// array untouched, on a NaN (its payload must never be read as a number) or too many distinct values.

/**
 * Sorts `values` ascending in place when it holds at most `maxDistinct` distinct bit patterns and no
 * NaN; returns false (array untouched) otherwise.
 */
export function sortFewDistinct(values: Float64Array, maxDistinct: number): boolean {
  const count = values.length;
  const tableBits = Math.max(4, Math.ceil(Math.log2(Math.max(1, maxDistinct))) + 1);
  const size = 1 << tableBits;
  const mask = size - 1;
  const words = new Uint32Array(values.buffer, values.byteOffset, count * 2);
  const keys = new Uint32Array(2 * size);
  const counts = new Uint32Array(size); // 0: empty slot
  let distinct = 0;
  for (let i = 0; i < 2 * count; i += 2) {
    const lo = words[i]!;
    const hi = words[i + 1]!;
    if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) | lo) !== 0) return false;
    let slot = slotOf(lo, hi, mask);
    for (;;) {
      const seen = counts[slot]!;
      if (seen === 0) {
        if (distinct === maxDistinct) return false;
        distinct++;
        keys[2 * slot] = lo;
        keys[2 * slot + 1] = hi;
        counts[slot] = 1;
        break;
      }
      if (keys[2 * slot] === lo && keys[2 * slot + 1] === hi) {
        counts[slot] = seen + 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  const uniques = new Float64Array(distinct);
  const uniqueWords = new Uint32Array(uniques.buffer);
  for (let slot = 0, next = 0; slot < size; slot++) {
    if (counts[slot] === 0) continue;
    uniqueWords[2 * next] = keys[2 * slot]!;
    uniqueWords[2 * next + 1] = keys[2 * slot + 1]!;
    next++;
  }
  uniques.sort(); // no NaN here; −0 sorts before +0
  let position = 0;
  for (let j = 0; j < distinct; j++) {
    const lo = uniqueWords[2 * j]!;
    const hi = uniqueWords[2 * j + 1]!;
    let slot = slotOf(lo, hi, mask);
    while (keys[2 * slot] !== lo || keys[2 * slot + 1] !== hi || counts[slot] === 0) {
      slot = (slot + 1) & mask;
    }
    const end = position + counts[slot]!;
    values.fill(uniques[j]!, position, end);
    position = end;
  }
  return true;
}

/** Home slot of a bit pattern (murmur3's 32-bit finalizer over both words). */
function slotOf(lo: number, hi: number, mask: number): number {
  let h = (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & mask;
}
