// Categorical figures (PSI, JS, chi-squared statistic/p-value) against scipy fixtures: union of
// categories, categories seen in one window only, "" as a category, one category, 1e6-row counts.
import { describe, expect, it } from "vitest";
import {
  alignCategoryCounts,
  chiSquaredTest,
  compareCategorical,
} from "../../../detectors/index.js";
import {
  FIGURE_TOLERANCE,
  P_VALUE_TOLERANCE,
  categoricalCases,
  expectClose,
} from "./support/fixtures.js";

const toMap = (counts: Record<string, number>) => new Map(Object.entries(counts));

describe("compareCategorical against scipy", () => {
  for (const testCase of categoricalCases()) {
    it(testCase.name, () => {
      const reference = toMap(testCase.reference);
      const current = toMap(testCase.current);
      const result = compareCategorical(reference, current);
      const { expected } = testCase;
      expect(alignCategoryCounts(reference, current).categories).toEqual(expected.categories);
      expectClose(result.psi, expected.psi, FIGURE_TOLERANCE, "psi");
      expectClose(result.js, expected.js, FIGURE_TOLERANCE, "js");
      expectClose(
        result.chi2.statistic,
        expected.chi2.statistic,
        FIGURE_TOLERANCE,
        "chi2 statistic",
      );
      expectClose(result.chi2.p_value, expected.chi2.p_value, P_VALUE_TOLERANCE, "chi2 p-value");
      const aligned = alignCategoryCounts(reference, current);
      expect(chiSquaredTest(aligned.reference, aligned.current).degrees_of_freedom).toBe(
        expected.chi2.dof,
      );
    });
  }
});

describe("compareCategorical input errors", () => {
  it("rejects a window without observations, naming it", () => {
    expect(() => compareCategorical(new Map(), new Map([["a", 1]]))).toThrow(
      /reference window has no/,
    );
    expect(() => compareCategorical(new Map([["a", 1]]), new Map([["a", 0]]))).toThrow(
      /current window has no/,
    );
  });

  it("rejects negative or non-finite counts", () => {
    expect(() =>
      compareCategorical(
        new Map([
          ["a", -1],
          ["b", 3],
        ]),
        new Map([["a", 1]]),
      ),
    ).toThrow(/reference count of category "a" is -1/);
  });

  it("rejects count vectors of different lengths in the histogram form", () => {
    expect(() => chiSquaredTest([1, 2], [1, 2, 3])).toThrow(/same number of bins/);
  });
});
