// Drift rules: DESIGN's default per-column rule (test switch at 1000 reference rows, thresholds
// and directions), PSI reported alongside, dataset drift share, per-column overrides with
// validated names, and the optional Benjamini-Hochberg correction.
import { describe, expect, it } from "vitest";
import {
  benjaminiHochberg,
  evaluateDrift,
  type CategoricalDrift,
  type ColumnInput,
  type NumericDrift,
} from "../../../detectors/index.js";

function numeric(
  nReference: number,
  figures: Partial<NumericDrift> & { ksP?: number } = {},
): ColumnInput {
  const result: NumericDrift = {
    psi: figures.psi ?? 0.01,
    js: figures.js ?? 0.01,
    ks: { statistic: 0.1, p_value: figures.ksP ?? 0.5 },
    wasserstein: figures.wasserstein ?? 1,
    wasserstein_normed: figures.wasserstein_normed ?? 0.01,
  };
  return { kind: "numeric", nReference, result };
}

function categorical(
  nReference: number,
  figures: { chiP?: number; js?: number; psi?: number } = {},
): ColumnInput {
  const result: CategoricalDrift = {
    psi: figures.psi ?? 0.01,
    js: figures.js ?? 0.01,
    chi2: { statistic: 3, p_value: figures.chiP ?? 0.5 },
  };
  return { kind: "categorical", nReference, result };
}

describe("default rule", () => {
  it("judges numeric columns by KS p < 0.05 up to 1000 reference rows", () => {
    const verdict = evaluateDrift({
      low: numeric(1000, { ksP: 0.049 }),
      high: numeric(10, { ksP: 0.05 }),
    });
    expect(verdict.columns.low).toMatchObject({
      test: "ks",
      value: 0.049,
      threshold: 0.05,
      drifted: true,
    });
    expect(verdict.columns.high).toMatchObject({ test: "ks", value: 0.05, drifted: false });
  });

  it("judges numeric columns by normed Wasserstein ≥ 0.1 above 1000 reference rows", () => {
    const verdict = evaluateDrift({
      at: numeric(1001, { wasserstein_normed: 0.1, ksP: 1e-30 }),
      below: numeric(50_000, { wasserstein_normed: 0.0999, ksP: 1e-30 }),
    });
    expect(verdict.columns.at).toMatchObject({
      test: "wasserstein_normed",
      value: 0.1,
      threshold: 0.1,
      drifted: true,
    });
    expect(verdict.columns.below).toMatchObject({ test: "wasserstein_normed", drifted: false });
  });

  it("judges categorical columns by chi-squared p < 0.05, then JS ≥ 0.1 above 1000 rows", () => {
    const verdict = evaluateDrift({
      small: categorical(1000, { chiP: 0.01, js: 0.0 }),
      large: categorical(1001, { chiP: 1e-50, js: 0.09 }),
      largeDrifted: categorical(2000, { js: 0.1 }),
    });
    expect(verdict.columns.small).toMatchObject({ test: "chi2", threshold: 0.05, drifted: true });
    expect(verdict.columns.large).toMatchObject({
      test: "js",
      value: 0.09,
      threshold: 0.1,
      drifted: false,
    });
    expect(verdict.columns.largeDrifted).toMatchObject({ test: "js", drifted: true });
  });

  it("reports PSI ≥ 0.2 alongside without letting it decide", () => {
    const verdict = evaluateDrift({
      a: numeric(100, { psi: 0.2 }),
      b: numeric(100, { psi: 0.19 }),
    });
    expect(verdict.columns.a).toMatchObject({ psi_drifted: true, drifted: false });
    expect(verdict.columns.b).toMatchObject({ psi_drifted: false });
  });
});

describe("dataset verdict", () => {
  it("is drifted when the drifted share reaches 0.5", () => {
    const half = evaluateDrift({ a: numeric(100, { ksP: 0.001 }), b: numeric(100) });
    expect(half).toMatchObject({ drift_share: 0.5, drifted: true });
    const third = evaluateDrift({
      a: numeric(100, { ksP: 0.001 }),
      b: numeric(100),
      c: categorical(100),
    });
    expect(third.drift_share).toBeCloseTo(1 / 3, 15);
    expect(third.drifted).toBe(false);
  });

  it("honours a custom share threshold and rejects a meaningless one", () => {
    const columns = { a: numeric(100, { ksP: 0.001 }), b: numeric(100), c: numeric(100) };
    expect(evaluateDrift(columns, { driftShareThreshold: 0.3 }).drifted).toBe(true);
    expect(() => evaluateDrift(columns, { driftShareThreshold: 0 })).toThrow(
      /driftShareThreshold must be in \(0, 1\]/,
    );
  });

  it("is not drifted with no computable columns", () => {
    expect(evaluateDrift({})).toEqual({ columns: {}, drift_share: 0, drifted: false });
  });
});

describe("per-column overrides", () => {
  it("use the named test with its default or the given threshold", () => {
    const verdict = evaluateDrift(
      { income: numeric(50, { psi: 0.25, ksP: 0.001 }), region: categorical(5000, { psi: 0.15 }) },
      { overrides: { income: { test: "psi" }, region: { test: "psi", threshold: 0.1 } } },
    );
    expect(verdict.columns.income).toMatchObject({
      test: "psi",
      value: 0.25,
      threshold: 0.2,
      drifted: true,
    });
    expect(verdict.columns.region).toMatchObject({
      test: "psi",
      value: 0.15,
      threshold: 0.1,
      drifted: true,
    });
  });

  it("may change only the threshold of the default test", () => {
    const verdict = evaluateDrift(
      { x: numeric(100, { ksP: 0.02 }) },
      { overrides: { x: { threshold: 0.01 } } },
    );
    expect(verdict.columns.x).toMatchObject({ test: "ks", threshold: 0.01, drifted: false });
  });

  it("reject unknown tests, tests of the other kind, and missing or invalid thresholds", () => {
    const columns = { age: numeric(100), city: categorical(100) };
    expect(() => evaluateDrift(columns, { overrides: { age: { test: "t-test" } } })).toThrow(
      /column "age": unknown drift test "t-test"; valid tests: ks, wasserstein_normed, wasserstein, chi2, psi, js/,
    );
    expect(() => evaluateDrift(columns, { overrides: { city: { test: "ks" } } })).toThrow(
      /column "city": drift test "ks" does not apply to categorical columns; valid tests: chi2, psi, js/,
    );
    expect(() => evaluateDrift(columns, { overrides: { age: { test: "wasserstein" } } })).toThrow(
      /column "age": test "wasserstein" has no default threshold/,
    );
    expect(() => evaluateDrift(columns, { overrides: { age: { threshold: 5 } } })).toThrow(
      /column "age": a p-value threshold must be in \(0, 1\], got 5/,
    );
    expect(() =>
      evaluateDrift(columns, { overrides: { age: { test: "psi", threshold: Number.NaN } } }),
    ).toThrow(/column "age": threshold must be a finite number/);
  });
});

describe("Benjamini-Hochberg correction", () => {
  it("adjusts the p-values of p-value-decided columns together and decides on the adjusted ones", () => {
    const columns = {
      a: numeric(100, { ksP: 0.01 }),
      b: numeric(100, { ksP: 0.04 }),
      c: categorical(100, { chiP: 0.03 }),
      d: categorical(100, { chiP: 0.2 }),
      big: numeric(5000, { wasserstein_normed: 0.5 }), // decided by a distance: not in the family
    };
    const plain = evaluateDrift(columns);
    const corrected = evaluateDrift(columns, { benjaminiHochberg: true });
    const expected = benjaminiHochberg([0.01, 0.04, 0.03, 0.2]);
    (["a", "b", "c", "d"] as const).forEach((name, index) => {
      expect(corrected.columns[name]!.value).toBe(expected[index]);
      expect(corrected.columns[name]!.unadjusted_value).toBe(plain.columns[name]!.value);
      expect(corrected.columns[name]!.drifted).toBe(expected[index]! < 0.05);
    });
    expect(corrected.columns.big).toEqual(plain.columns.big);
    expect(plain.columns.b!.drifted).toBe(true);
    expect(corrected.columns.b!.drifted).toBe(false);
  });
});
