// Loading of the scipy/numpy fixtures (test/fixtures/detectors, written by
// scripts/fixtures/detectors.py) and the tolerances DESIGN fixes for comparing with them.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { SampleSpec } from "./generated-sample.js";

const FIXTURE_DIR = fileURLToPath(new URL("../../../fixtures/detectors/", import.meta.url));

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(FIXTURE_DIR + name, "utf8")) as T;
}

/** DESIGN: figures equal numpy/scipy to 1e-9 relative. */
export const FIGURE_TOLERANCE = 1e-9;
/** DESIGN: p-values equal scipy to 1e-4 relative. */
export const P_VALUE_TOLERANCE = 1e-4;
/** Below this both sides are "zero" (underflowed probabilities). */
const ABSOLUTE_FLOOR = 1e-300;

export function expectClose(
  actual: number,
  expected: number,
  relative: number,
  label: string,
): void {
  const error = Math.abs(actual - expected);
  const allowed = relative * Math.abs(expected) + ABSOLUTE_FLOOR;
  expect(
    error <= allowed,
    `${label}: got ${actual}, scipy ${expected} (|Δ| ${error} > ${allowed})`,
  ).toBe(true);
}

export interface NumericExpected {
  edges: number[];
  reference_counts: number[];
  current_counts: number[];
  psi: number;
  js: number;
  ks: { statistic: number; p_value: number; method: "exact" | "asymptotic" };
  wasserstein: number;
  reference_std: number;
  wasserstein_normed: number;
}

export interface NumericSmallCase {
  name: string;
  reference: number[];
  current: number[];
  expected: NumericExpected;
}

export interface NumericGeneratedCase {
  name: string;
  reference: SampleSpec;
  current: SampleSpec;
  expected: NumericExpected;
  reference_sum: number;
  current_sum: number;
}

export interface CategoricalCase {
  name: string;
  reference: Record<string, number>;
  current: Record<string, number>;
  expected: {
    categories: string[];
    psi: number;
    js: number;
    chi2: { statistic: number; p_value: number; dof: number };
  };
}

export interface DistributionFixtures {
  kstwo_sf: { n: number; x: number; sf: number }[];
  smirnov_sf: { n: number; x: number; sf: number }[];
  gammaincc: { a: number; x: number; q: number }[];
  benjamini_hochberg: { p_values: number[]; adjusted: number[] }[];
}

export const numericSmallCases = (): NumericSmallCase[] =>
  loadFixture<{ cases: NumericSmallCase[] }>("numeric-small.json").cases;
export const numericGeneratedCases = (): NumericGeneratedCase[] =>
  loadFixture<{ cases: NumericGeneratedCase[] }>("numeric-generated.json").cases;
export const categoricalCases = (): CategoricalCase[] =>
  loadFixture<{ cases: CategoricalCase[] }>("categorical.json").cases;
export const distributionFixtures = (): DistributionFixtures =>
  loadFixture<DistributionFixtures>("distributions.json");
