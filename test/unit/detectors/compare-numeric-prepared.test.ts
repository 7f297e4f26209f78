// A reference prepared once (sorted, binned, its σ) and compared with many current samples — as
// `check` compares its chunks — gives compareNumeric's figures bit for bit: on the scipy
// fixtures' small samples, on generated chunks of a large sample, with ties, a constant reference
// and negative zeros; its errors are compareNumeric's.
import { describe, expect, it } from "vitest";
import {
  compareNumeric,
  compareNumericPrepared,
  prepareNumericReference,
} from "../../../detectors/index.js";
import { generateSample } from "./support/generated-sample.js";
import { numericSmallCases } from "./support/fixtures.js";

function expectSameBits(prepared: unknown, direct: unknown): void {
  // toEqual with Object.is on numbers: bit-identical doubles (−0 vs 0 included).
  expect(JSON.stringify(prepared)).toBe(JSON.stringify(direct));
  expect(prepared).toStrictEqual(direct);
}

describe("compareNumericPrepared", () => {
  it("equals compareNumeric on every scipy fixture case", () => {
    const cases = numericSmallCases();
    expect(cases.length).toBeGreaterThan(3);
    for (const testCase of cases) {
      const reference = Float64Array.from(testCase.reference);
      const current = Float64Array.from(testCase.current);
      const prepared = prepareNumericReference(Float64Array.from(reference));
      const viaPrepared = compareNumericPrepared(prepared, Float64Array.from(current));
      expectSameBits(viaPrepared, compareNumeric(reference, current));
    }
  });

  it("one prepared reference, twenty chunks: each equals its own compareNumeric", () => {
    // Above the radix sort's threshold, with ties from rounding.
    const reference = generateSample({ seed: 7, n: 60_000, kind: "skewed", scale: 2 });
    const current = generateSample({
      seed: 8,
      n: 40_000,
      kind: "rounded_normal",
      mean: 1,
      std: 2,
      step: 0.01,
    });
    const prepared = prepareNumericReference(Float64Array.from(reference));
    for (let chunk = 0; chunk < 20; chunk++) {
      const part = current.subarray(chunk * 2000, (chunk + 1) * 2000);
      const viaPrepared = compareNumericPrepared(prepared, Float64Array.from(part));
      expectSameBits(
        viaPrepared,
        compareNumeric(Float64Array.from(reference), Float64Array.from(part)),
      );
    }
  });

  it("ties, a constant reference and −0", () => {
    const pairs: [number[], number[]][] = [
      [
        [1, 1, 1, 2, 2, 3, 3, 3, 3, 4],
        [1, 2, 2, 2, 5],
      ],
      [
        [5, 5, 5, 5],
        [4, 5, 6],
      ],
      [
        [-0, 0, -0, 1, 2],
        [0, -0, 3],
      ],
    ];
    for (const [reference, current] of pairs) {
      const prepared = prepareNumericReference(Float64Array.from(reference));
      expectSameBits(
        compareNumericPrepared(prepared, Float64Array.from(current)),
        compareNumeric(Float64Array.from(reference), Float64Array.from(current)),
      );
    }
  });

  it("refuses what compareNumeric refuses, with the same messages", () => {
    expect(() => prepareNumericReference(new Float64Array(0))).toThrow(
      "reference sample is empty (no non-missing values)",
    );
    expect(() => prepareNumericReference(Float64Array.from([1, NaN]))).toThrow(/contains NaN/);
    const prepared = prepareNumericReference(Float64Array.from([1, 2, 3]));
    expect(() => compareNumericPrepared(prepared, Float64Array.from([Infinity]))).toThrow(
      "current sample contains Infinity; only finite numbers can be compared",
    );
  });
});
