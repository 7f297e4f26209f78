// populationStandardDeviation writes CompensatedSum's operations out on local variables for speed;
// it must return exactly what the two compensated passes through CompensatedSum return.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { populationStandardDeviation } from "../../../detectors/wasserstein.js";
import { CompensatedSum } from "../../../detectors/math/compensated-sum.js";

function throughCompensatedSum(values: Float64Array): number {
  const total = new CompensatedSum();
  for (const value of values) total.add(value);
  const mean = total.value / values.length;
  const squares = new CompensatedSum();
  for (const value of values) squares.add((value - mean) * (value - mean));
  return Math.sqrt(squares.value / values.length);
}

describe("populationStandardDeviation", () => {
  it("equals the CompensatedSum passes bit for bit", () => {
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e150, max: 1e150 }),
      fc.constantFrom(0, -0, 5e-324, 1e-300, 1, 1e16, -1e16, 0.1),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (list) => {
        const values = Float64Array.from(list);
        expect(Object.is(populationStandardDeviation(values), throughCompensatedSum(values))).toBe(
          true,
        );
      }),
      { numRuns: 1000 },
    );
  });
});
