// The detector registry: one descriptor per detector with kinds, default threshold and an
// explicit direction; lookups fail with the list of valid names; each descriptor reads its
// own figure from a real comparison.
import { describe, expect, it } from "vitest";
import {
  alignCategoryCounts,
  compareCategorical,
  compareNumeric,
  getDetector,
  isDrift,
  listDetectors,
} from "../../../detectors/index.js";
import { categoricalCases, numericSmallCases } from "./support/fixtures.js";

describe("detector registry", () => {
  it("describes every detector with kinds, threshold and direction", () => {
    const names = listDetectors().map((descriptor) => descriptor.name);
    expect(new Set(names).size).toBe(names.length);
    for (const descriptor of listDetectors()) {
      expect(descriptor.displayName.length).toBeGreaterThan(0);
      expect(descriptor.columnKinds.length).toBeGreaterThan(0);
      expect(["p_value", "distance"]).toContain(descriptor.direction);
    }
    expect(getDetector("ks")).toMatchObject({ direction: "p_value", defaultThreshold: 0.05 });
    expect(getDetector("js")).toMatchObject({
      direction: "distance",
      columnKinds: ["numeric", "categorical"],
    });
  });

  it("lists the valid names when a lookup fails", () => {
    expect(() => getDetector("kl")).toThrow(
      /unknown drift test "kl"; valid tests: .*ks.*chi2.*psi.*js/,
    );
    expect(() => getDetector("wasserstein_normed", "categorical")).toThrow(
      /valid tests: chi2, psi, js/,
    );
  });

  it("applies the direction: p-values drift below the threshold, distances at or above it", () => {
    expect(isDrift(getDetector("ks"), 0.0499, 0.05)).toBe(true);
    expect(isDrift(getDetector("ks"), 0.05, 0.05)).toBe(false);
    expect(isDrift(getDetector("psi"), 0.2, 0.2)).toBe(true);
    expect(isDrift(getDetector("psi"), 0.1999, 0.2)).toBe(false);
  });

  it("reads each detector's own figure from real comparisons", () => {
    const numericResult = compareNumeric(
      Float64Array.of(1, 2, 3, 4, 5, 6),
      Float64Array.of(2, 3, 4, 5, 9, 10),
    );
    expect(getDetector("ks").valueOf(numericResult)).toBe(numericResult.ks.p_value);
    expect(getDetector("wasserstein").valueOf(numericResult)).toBe(numericResult.wasserstein);
    expect(getDetector("wasserstein_normed").valueOf(numericResult)).toBe(
      numericResult.wasserstein_normed,
    );
    expect(getDetector("psi").valueOf(numericResult)).toBe(numericResult.psi);
    const categoricalResult = compareCategorical(
      new Map([
        ["a", 3],
        ["b", 4],
      ]),
      new Map([
        ["a", 5],
        ["b", 1],
      ]),
    );
    expect(getDetector("chi2").valueOf(categoricalResult)).toBe(categoricalResult.chi2.p_value);
    expect(getDetector("js").valueOf(categoricalResult)).toBe(categoricalResult.js);
    expect(() => getDetector("ks").valueOf(categoricalResult)).toThrow(/no ks figure/);
  });

  it("computes through each descriptor the same figure the full comparison reports", () => {
    for (const testCase of numericSmallCases().slice(0, 6)) {
      const reference = Float64Array.from(testCase.reference);
      const current = Float64Array.from(testCase.current);
      const full = compareNumeric(reference, current); // leaves both sorted
      for (const descriptor of listDetectors("numeric")) {
        const output = descriptor.compute({
          kind: "numeric",
          sortedReference: reference,
          sortedCurrent: current,
        });
        expect(output.value, `${descriptor.name} on ${testCase.name}`).toBe(
          descriptor.valueOf(full),
        );
      }
    }
    for (const testCase of categoricalCases()) {
      const reference = new Map(Object.entries(testCase.reference));
      const current = new Map(Object.entries(testCase.current));
      const aligned = alignCategoryCounts(reference, current);
      const full = compareCategorical(reference, current);
      for (const descriptor of listDetectors("categorical")) {
        const output = descriptor.compute({
          kind: "categorical",
          referenceCounts: aligned.reference,
          currentCounts: aligned.current,
        });
        expect(output.value, `${descriptor.name} on ${testCase.name}`).toBe(
          descriptor.valueOf(full),
        );
      }
    }
    expect(() =>
      getDetector("ks").compute({ kind: "categorical", referenceCounts: [1], currentCounts: [1] }),
    ).toThrow(/needs numeric samples/);
  });
});
