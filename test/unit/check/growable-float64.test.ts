// The numeric value store: keeps every pushed value in order whether or not the size hint was right.
import { describe, expect, it } from "vitest";
import { GrowableFloat64 } from "../../../src/check/growable-float64.js";

function filled(count: number, reserve?: number): Float64Array {
  const values = new GrowableFloat64();
  if (reserve !== undefined) values.reserve(reserve);
  for (let index = 0; index < count; index++) values.push(index * 0.5);
  expect(values.length).toBe(count);
  return values.toArray();
}

describe("GrowableFloat64", () => {
  it("returns exactly the pushed values for under-, over- and right-sized hints", () => {
    for (const [count, reserve] of [
      [0, undefined],
      [5000, undefined],
      [5000, 100],
      [5000, 5000],
      [5000, 1_000_000],
    ] as const) {
      const values = filled(count, reserve);
      expect(values.length).toBe(count);
      expect(values.every((value, index) => value === index * 0.5)).toBe(true);
    }
  });

  it("does not hold on to a much larger buffer than the values need", () => {
    expect(filled(10, 1_000_000).buffer.byteLength).toBe(80);
  });
});
