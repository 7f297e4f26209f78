// Histogram forms against the exact figures: PSI/JS from fine bins merged into deciles equal
// scipy's; the histogram KS statistic and Wasserstein distance bracket scipy's exact values
// within the documented bounds (error ≤ largest bin mass for KS); p-values are conservative.
import { describe, expect, it } from "vitest";
import {
  binCountsSorted,
  compareNumericHistogram,
  fineQuantileEdges,
  ksFromHistogram,
  referenceBinEdges,
  wassersteinFromHistogram,
  type NumericExpected,
} from "./support/histogram-imports.js";
import { generateSample } from "./support/generated-sample.js";
import {
  FIGURE_TOLERANCE,
  expectClose,
  numericGeneratedCases,
  numericSmallCases,
} from "./support/fixtures.js";

/** Slack for comparing bounds computed in floating point with scipy's figures. */
const ROUNDING_SLACK = 1e-12;

function histogramOf(reference: Float64Array, current: Float64Array, binCount: number) {
  reference.sort();
  current.sort();
  const edges = fineQuantileEdges(reference, binCount);
  return {
    edges,
    referenceCounts: binCountsSorted(reference, edges),
    currentCounts: binCountsSorted(current, edges),
    decileEdges: referenceBinEdges(reference),
    range: {
      min: Math.min(reference[0]!, current[0]!),
      max: Math.max(reference[reference.length - 1]!, current[current.length - 1]!),
    },
  };
}

function checkBounds(
  reference: Float64Array,
  current: Float64Array,
  expected: NumericExpected,
  binCount: number,
) {
  const histogram = histogramOf(reference, current, binCount);
  const ks = ksFromHistogram(histogram);
  const exactD = expected.ks.statistic;
  expect(ks.statistic, "D_hist ≤ D").toBeLessThanOrEqual(exactD + ROUNDING_SLACK);
  expect(exactD, "D ≤ D_upper").toBeLessThanOrEqual(ks.statistic_upper_bound + ROUNDING_SLACK);
  expect(ks.statistic_upper_bound - ks.statistic, "bound ≤ max bin mass").toBeLessThanOrEqual(
    ks.max_bin_mass + ROUNDING_SLACK,
  );
  expect(ks.p_value, "histogram p-value is conservative").toBeGreaterThanOrEqual(
    expected.ks.p_value * (1 - 1e-4),
  );
  expect(ks.p_value_lower_bound).toBeLessThanOrEqual(expected.ks.p_value * (1 + 1e-4) + 1e-300);

  const wasserstein = wassersteinFromHistogram(histogram, histogram.range);
  const slack = ROUNDING_SLACK * Math.max(1, Math.abs(expected.wasserstein));
  expect(wasserstein.lower_bound).toBeLessThanOrEqual(expected.wasserstein + slack);
  expect(expected.wasserstein).toBeLessThanOrEqual(wasserstein.upper_bound + slack);
  expect(wasserstein.estimate).toBeGreaterThanOrEqual(wasserstein.lower_bound - slack);
  expect(wasserstein.estimate).toBeLessThanOrEqual(wasserstein.upper_bound + slack);

  const drift = compareNumericHistogram({ ...histogram, referenceStd: expected.reference_std });
  expectClose(drift.psi, expected.psi, FIGURE_TOLERANCE, "psi from fine bins");
  expectClose(drift.js, expected.js, FIGURE_TOLERANCE, "js from fine bins");
  return ks;
}

describe("histogram forms bracket the exact figures (small samples)", () => {
  for (const testCase of numericSmallCases()) {
    it(testCase.name, () => {
      for (const binCount of [10, 100, 1000]) {
        checkBounds(
          Float64Array.from(testCase.reference),
          Float64Array.from(testCase.current),
          testCase.expected,
          binCount,
        );
      }
    });
  }
});

describe("histogram forms bracket the exact figures (generated windows)", () => {
  for (const testCase of numericGeneratedCases().filter((c) => c.reference.n >= 10_000)) {
    it(testCase.name, () => {
      const ks = checkBounds(
        generateSample(testCase.reference),
        generateSample(testCase.current),
        testCase.expected,
        1000,
      );
      // With 1000 reference-quantile bins, near-identical continuous windows of 1e6 rows no bin holds
      // much more than 1/1000 of either window, so the KS error bound is about 0.001.
      if (testCase.reference.n >= 1_000_000 && testCase.current.kind === "normal")
        expect(ks.max_bin_mass).toBeLessThan(0.0012);
    });
  }
});

describe("histogram input errors", () => {
  it("names the malformed part", () => {
    const base = { edges: [1, 2], referenceCounts: [1, 1, 1], currentCounts: [1, 1, 1] };
    expect(() => ksFromHistogram({ ...base, edges: [2, 1] })).toThrow(/strictly ascending/);
    expect(() => ksFromHistogram({ ...base, currentCounts: [1, 1] })).toThrow(
      /current counts must have edges \+ 1 = 3/,
    );
    expect(() => ksFromHistogram({ ...base, referenceCounts: [0, 0, 0] })).toThrow(
      /reference histogram is empty/,
    );
    expect(() => ksFromHistogram({ ...base, referenceCounts: [1, -1, 1] })).toThrow(
      /reference count of bin 1/,
    );
    expect(() => wassersteinFromHistogram(base, { min: 1.5, max: 3 })).toThrow(
      /cover the histogram's edges/,
    );
    expect(() =>
      compareNumericHistogram({
        ...base,
        decileEdges: [1.5],
        range: { min: 0, max: 3 },
        referenceStd: 1,
      }),
    ).toThrow(/not one of the fine edges/);
  });
});
