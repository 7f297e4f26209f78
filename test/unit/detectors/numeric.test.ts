// Every numeric-column figure (quantile edges, bin counts, PSI, JS, KS statistic/p-value/path,
// Wasserstein, normed Wasserstein) against numpy/scipy fixtures: small raw samples, and large
// windows (up to 1e6 rows) regenerated bit-identically from the fixture's generator spec.
import { describe, expect, it } from "vitest";
import {
  binCountsSorted,
  compareNumeric,
  ksTestSorted,
  populationStandardDeviation,
  referenceBinEdges,
} from "../../../detectors/index.js";
import { numpySum } from "../../../detectors/math/numpy-sum.js";
import { generateSample } from "./support/generated-sample.js";
import {
  FIGURE_TOLERANCE,
  P_VALUE_TOLERANCE,
  expectClose,
  numericGeneratedCases,
  numericSmallCases,
  type NumericExpected,
} from "./support/fixtures.js";

function checkAgainstScipy(
  reference: Float64Array,
  current: Float64Array,
  expected: NumericExpected,
): void {
  const result = compareNumeric(reference, current); // sorts both in place
  const edges = referenceBinEdges(reference);
  expect(Array.from(edges), "bin edges (numpy linear quantiles, bit for bit)").toEqual(
    expected.edges,
  );
  expect(Array.from(binCountsSorted(reference, edges))).toEqual(expected.reference_counts);
  expect(Array.from(binCountsSorted(current, edges))).toEqual(expected.current_counts);
  expectClose(result.psi, expected.psi, FIGURE_TOLERANCE, "psi");
  expectClose(result.js, expected.js, FIGURE_TOLERANCE, "js");
  expectClose(result.ks.statistic, expected.ks.statistic, FIGURE_TOLERANCE, "ks statistic");
  expectClose(result.ks.p_value, expected.ks.p_value, P_VALUE_TOLERANCE, "ks p-value");
  expect(ksTestSorted(reference, current).method, "ks p-value path").toBe(expected.ks.method);
  expectClose(result.wasserstein, expected.wasserstein, FIGURE_TOLERANCE, "wasserstein");
  expectClose(
    populationStandardDeviation(reference),
    expected.reference_std,
    FIGURE_TOLERANCE,
    "reference std",
  );
  expectClose(
    result.wasserstein_normed,
    expected.wasserstein_normed,
    FIGURE_TOLERANCE,
    "wasserstein normed",
  );
}

describe("compareNumeric against scipy (small raw samples)", () => {
  for (const testCase of numericSmallCases()) {
    it(testCase.name, () => {
      checkAgainstScipy(
        Float64Array.from(testCase.reference),
        Float64Array.from(testCase.current),
        testCase.expected,
      );
    });
  }
});

describe("compareNumeric against scipy (generated windows up to 1e6 rows)", () => {
  for (const testCase of numericGeneratedCases()) {
    it(testCase.name, () => {
      const reference = generateSample(testCase.reference);
      const current = generateSample(testCase.current);
      // Same data as numpy saw: the generator must reproduce numpy's sums bit for bit.
      expect(numpySum(reference), "reference sample checksum").toBe(testCase.reference_sum);
      expect(numpySum(current), "current sample checksum").toBe(testCase.current_sum);
      checkAgainstScipy(reference, current, testCase.expected);
    });
  }
});

describe("compareNumeric input errors", () => {
  it("rejects an empty sample, naming it", () => {
    expect(() => compareNumeric(new Float64Array(0), Float64Array.of(1))).toThrow(
      /reference sample is empty/,
    );
    expect(() => compareNumeric(Float64Array.of(1), new Float64Array(0))).toThrow(
      /current sample is empty/,
    );
  });

  it("rejects NaN and infinities instead of reporting NaN figures", () => {
    expect(() => compareNumeric(Float64Array.of(1, Number.NaN), Float64Array.of(1))).toThrow(
      /reference.*NaN/,
    );
    expect(() => compareNumeric(Float64Array.of(1), Float64Array.of(-Infinity, 2))).toThrow(
      /current.*-Infinity/,
    );
  });
});
