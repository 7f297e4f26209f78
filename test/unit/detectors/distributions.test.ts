// The distribution functions behind the p-values, checked point by point against scipy on grids
// that reach every branch: kstwo.sf (Ruben–Gambino, Durbin matrix, Pelz–Good, 2·smirnov),
// scipy.special.smirnov, the regularized upper incomplete gamma (chi-squared p-values), and
// Benjamini-Hochberg (scipy.stats.false_discovery_control).
import { describe, expect, it } from "vitest";
import {
  benjaminiHochberg,
  kolmogorovSurvival,
  regularizedUpperGamma,
} from "../../../detectors/index.js";
import { smirnovSurvival } from "../../../detectors/ks/smirnov.js";
import {
  FIGURE_TOLERANCE,
  P_VALUE_TOLERANCE,
  distributionFixtures,
  expectClose,
} from "./support/fixtures.js";

const fixtures = distributionFixtures();

describe("kstwo survival function (one-sample two-sided KS, finite n)", () => {
  it(`matches scipy.stats.kstwo.sf at ${fixtures.kstwo_sf.length} points`, () => {
    for (const { n, x, sf } of fixtures.kstwo_sf) {
      expectClose(kolmogorovSurvival(n, x), sf, P_VALUE_TOLERANCE, `kstwo.sf(${x}, ${n})`);
    }
  });
});

describe("smirnov survival function (one-sided KS)", () => {
  it(`matches scipy.special.smirnov at ${fixtures.smirnov_sf.length} points`, () => {
    for (const { n, x, sf } of fixtures.smirnov_sf) {
      expectClose(smirnovSurvival(n, x), sf, P_VALUE_TOLERANCE, `smirnov(${n}, ${x})`);
    }
  });
});

describe("regularized upper incomplete gamma", () => {
  it(`matches scipy.special.gammaincc at ${fixtures.gammaincc.length} points`, () => {
    for (const { a, x, q } of fixtures.gammaincc) {
      expectClose(regularizedUpperGamma(a, x), q, P_VALUE_TOLERANCE, `gammaincc(${a}, ${x})`);
    }
  });

  it("rejects arguments outside its domain", () => {
    expect(() => regularizedUpperGamma(0, 1)).toThrow(/a must be > 0/);
    expect(() => regularizedUpperGamma(1, -1)).toThrow(/x must be ≥ 0/);
  });
});

describe("Benjamini-Hochberg", () => {
  for (const { p_values, adjusted } of fixtures.benjamini_hochberg) {
    it(`matches scipy.stats.false_discovery_control for ${p_values.length} p-values`, () => {
      benjaminiHochberg(p_values).forEach((value, index) =>
        expectClose(value, adjusted[index]!, FIGURE_TOLERANCE, `adjusted p #${index}`),
      );
    });
  }
});
