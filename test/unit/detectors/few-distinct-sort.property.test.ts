// The few-distinct path of sortFloat64 (count the distinct bit patterns, sort those, write them
// back) yields exactly the radix sort's bytes: −0 and +0, denormals, ±Infinity, duplicates, empty
// and one-element arrays, 2^20 values. With a NaN or too many distinct values it leaves the array
// untouched and says so, and sortFloat64 falls back to the radix sort.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortFewDistinct } from "../../../detectors/math/few-distinct-sort.js";
import { radixSortFloat64, sortFloat64 } from "../../../detectors/math/radix-sort.js";
import { xorshift32 } from "../../support/xorshift.js";

const SPECIALS = [
  0,
  -0,
  Infinity,
  -Infinity,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  -2.225073858507201e-308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1,
  -1,
  0.1,
  1e300,
];

const value = fc.oneof(
  fc.constantFrom(...SPECIALS),
  fc.double({ noNaN: true }),
  fc.integer({ min: -50, max: 50 }),
);

function bytes(values: Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function expectRadixBytes(values: Float64Array, maxDistinct: number): void {
  const expected = radixSortFloat64(values.slice());
  const actual = values.slice();
  expect(sortFewDistinct(actual, maxDistinct)).toBe(true);
  expect(Buffer.compare(bytes(actual), bytes(expected))).toBe(0);
}

describe("sortFewDistinct", () => {
  it("sorts like the radix sort, byte for byte, on nasty values", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), (list) => {
        expectRadixBytes(Float64Array.from(list), Math.max(1, list.length));
      }),
      { numRuns: 500 },
    );
  });

  it("sorts empty and one-element arrays", () => {
    expectRadixBytes(new Float64Array(0), 1);
    expectRadixBytes(Float64Array.of(-0), 1);
    expectRadixBytes(Float64Array.of(5e-324), 1);
  });

  it("gives up, array untouched, on a NaN or more distinct values than allowed", () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 100 }),
        fc.nat(),
        fc.boolean(),
        (list, at, withNaN) => {
          const values = Float64Array.from(list);
          if (withNaN) values[at % values.length] = Number.NaN;
          const distinct = new Set(Array.from(values, (x) => (Object.is(x, -0) ? "-0" : x))).size;
          const before = values.slice();
          const maxDistinct = withNaN ? values.length : Math.max(0, distinct - 1);
          expect(sortFewDistinct(values, maxDistinct)).toBe(false);
          expect(Buffer.compare(bytes(values), bytes(before))).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("sortFloat64 on 2^20 values gives the radix sort's bytes, few or many distinct", () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 2000 }),
        fc.integer(),
        (pool, seed) => {
          const next = xorshift32(seed | 1);
          const values = new Float64Array(1 << 20);
          for (let i = 0; i < values.length; i++) {
            values[i] = pool[next() % pool.length]!;
          }
          const expected = radixSortFloat64(values.slice());
          expect(Buffer.compare(bytes(sortFloat64(values)), bytes(expected))).toBe(0);
        },
      ),
      { numRuns: 4 },
    );
    const many = Float64Array.from({ length: 1 << 20 }, (_, i) => Math.sin(i) * 1e6);
    many[7] = -0;
    many[9] = Number.NaN;
    const expected = radixSortFloat64(many.slice());
    expect(Buffer.compare(bytes(sortFloat64(many)), bytes(expected))).toBe(0);
  });
});
