// sortFloat64 (the radix sort compareNumeric uses) orders exactly like the built-in typed-array
// sort: negatives, −0 before +0, denormals, duplicates, ±Infinity, and sub-array views.
import { describe, expect, it } from "vitest";
import { sortFloat64 } from "../../../detectors/index.js";
import { generateSample } from "./support/generated-sample.js";

function expectSameOrder(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`element ${i}: radix ${actual[i]} vs built-in ${expected[i]}`);
    }
  }
}

describe("sortFloat64", () => {
  it("orders a large mixed sample like the built-in sort", () => {
    const values = generateSample({ seed: 40, n: 100_000, kind: "normal", mean: 0, std: 1e3 });
    const specials = [
      -0,
      0,
      Infinity,
      -Infinity,
      5e-324,
      -5e-324,
      Number.MIN_VALUE,
      -Number.MAX_VALUE,
      1,
      1,
      1,
    ];
    specials.forEach((value, index) => (values[index * 997] = value));
    const expected = values.slice().sort();
    expectSameOrder(sortFloat64(values), expected);
  });

  it("orders heavy ties and integers (passes with one bucket are skipped)", () => {
    const values = generateSample({ seed: 41, n: 70_000, kind: "discrete", levels: 3 });
    expectSameOrder(sortFloat64(values.slice()), values.slice().sort());
  });

  it("sorts only the viewed part of a buffer", () => {
    const backing = generateSample({ seed: 42, n: 80_000, kind: "skewed", scale: 2 });
    const untouchedHead = backing.slice(0, 1000);
    const view = backing.subarray(1000, 79_000);
    const expected = view.slice().sort();
    sortFloat64(view);
    expectSameOrder(view, expected);
    expectSameOrder(backing.subarray(0, 1000), untouchedHead);
  });

  it("puts NaN at an end, where compareNumeric's check finds it", () => {
    const values = generateSample({ seed: 43, n: 40_000, kind: "normal", mean: 0, std: 1 });
    values[123] = Number.NaN;
    sortFloat64(values);
    expect(Number.isNaN(values[0]!) || Number.isNaN(values[values.length - 1]!)).toBe(true);
  });
});
