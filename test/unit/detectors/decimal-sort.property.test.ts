// The short-decimal path of sortFloat64 (values k / 10^d sorted through their 32-bit k's) yields
// exactly the radix sort's bytes, or gives up with the array untouched: NaN, −0, ±Infinity,
// denormals, too many decimals, k beyond 32 bits, empty and one-element arrays, 2^20 values.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortShortDecimals } from "../../../detectors/math/decimal-sort.js";
import { radixSortFloat64, sortFloat64 } from "../../../detectors/math/radix-sort.js";
import { xorshift32 } from "../../support/xorshift.js";

const SCALES = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000];
const NASTY = [
  Number.NaN,
  -0,
  0,
  Infinity,
  -Infinity,
  5e-324,
  -5e-324,
  0.1 + 0.2,
  2 ** 31,
  -(2 ** 31),
];

const decimals = fc
  .tuple(
    fc.constantFrom(...SCALES),
    fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 200 }),
  )
  .map(([scale, ks]) => Float64Array.from(ks, (k) => k / scale));

function bytes(values: Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Either sorted exactly as the radix sort or left untouched (false). */
function expectRadixBytesOrUntouched(values: Float64Array): boolean {
  const before = values.slice();
  const done = sortShortDecimals(values);
  const expected = done ? radixSortFloat64(before) : before;
  expect(Buffer.compare(bytes(values), bytes(expected))).toBe(0);
  return done;
}

describe("sortShortDecimals", () => {
  it("sorts short decimals like the radix sort, byte for byte", () => {
    fc.assert(
      fc.property(decimals, (values) => {
        expectRadixBytesOrUntouched(values);
      }),
      { numRuns: 500 },
    );
  });

  it("takes integers and cents", () => {
    expect(expectRadixBytesOrUntouched(Float64Array.of(3, -7, 0, 3, 2147483647, -2147483648))).toBe(
      true,
    );
    expect(expectRadixBytesOrUntouched(Float64Array.of(89034.25, 0.01, -5.5, 0, 89034.25))).toBe(
      true,
    );
    expect(expectRadixBytesOrUntouched(new Float64Array(0))).toBe(true);
    expect(expectRadixBytesOrUntouched(Float64Array.of(1.5))).toBe(true);
  });

  it("gives up, array untouched, on anything that is not a short decimal", () => {
    fc.assert(
      fc.property(
        decimals.filter((values) => values.length > 0),
        fc.constantFrom(...NASTY),
        fc.nat(),
        (values, nasty, at) => {
          values[at % values.length] = nasty;
          expectRadixBytesOrUntouched(values);
        },
      ),
      { numRuns: 500 },
    );
    for (const nasty of [Number.NaN, -0, Infinity, -Infinity, 5e-324, 0.1 + 0.2, 2 ** 31]) {
      expect(expectRadixBytesOrUntouched(Float64Array.of(1, 2, nasty, 3))).toBe(false);
    }
  });

  it("sortFloat64 on 2^20 short decimals gives the radix sort's bytes", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SCALES),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer(),
        fc.boolean(),
        (scale, range, seed, spoil) => {
          const next = xorshift32(seed | 1);
          const values = new Float64Array(1 << 20);
          for (let i = 0; i < values.length; i++) {
            values[i] = ((next() % range) - Math.floor(range / 2)) / scale;
          }
          if (spoil) values[values.length - 1] = -0;
          const expected = radixSortFloat64(values.slice());
          expect(Buffer.compare(bytes(sortFloat64(values)), bytes(expected))).toBe(0);
        },
      ),
      { numRuns: 6 },
    );
  });
});
