// The special functions behind the p-values against scipy.special / scipy.stats: erfc and the
// normal tail to 1e-14 relative, Student's t tails to 1e-10 (measured ≤ 1e-11 up to ν = 10⁶), ln Γ to 1e-14.

import { readFileSync } from "node:fs";
import { describe, it } from "vitest";

import { logGamma } from "../../../../detectors/performance/special/log-gamma.js";
import { erfc, normalTwoSidedPValue } from "../../../../detectors/performance/special/normal.js";
import { studentTTwoSidedPValue } from "../../../../detectors/performance/special/student-t.js";
import { expectClose } from "./close-to.js";

interface Reference {
  exact: number;
  scipy: number;
}

interface SpecialFixture {
  erfc: (Reference & { x: number })[];
  normal_two_sided: (Reference & { z: number })[];
  student_t_two_sided: (Reference & { t: number; df: number })[];
  log_gamma: (Reference & { x: number })[];
}

/** Check against the exact value at `tolerance` and against scipy's at `scipyTolerance`. */
function expectBoth(
  actual: number,
  reference: Reference,
  tolerance: number,
  scipyTolerance: number,
  what: string,
  scale = 0,
): void {
  expectClose(actual, reference.exact, tolerance, `${what} vs mpmath`, scale);
  expectClose(actual, reference.scipy, scipyTolerance, `${what} vs scipy`, scale);
}

const fixture = JSON.parse(
  readFileSync(
    new URL("../../../fixtures/performance/special-functions.json", import.meta.url),
    "utf8",
  ),
) as SpecialFixture;

describe("special functions match scipy", () => {
  it("erfc", () => {
    for (const row of fixture.erfc) expectBoth(erfc(row.x), row, 1e-14, 1e-12, `erfc(${row.x})`);
  });
  it("two-sided normal p-value", () => {
    for (const row of fixture.normal_two_sided) {
      expectBoth(normalTwoSidedPValue(row.z), row, 1e-14, 1e-12, `2·sf(${row.z})`);
      expectBoth(normalTwoSidedPValue(-row.z), row, 1e-14, 1e-12, `2·sf(${-row.z})`);
    }
  });
  it("two-sided Student t p-value", () => {
    for (const row of fixture.student_t_two_sided) {
      expectBoth(
        studentTTwoSidedPValue(row.t, row.df),
        row,
        1e-10,
        1e-10,
        `t=${row.t}, df=${row.df}`,
      );
    }
  });
  it("log gamma", () => {
    for (const row of fixture.log_gamma) {
      expectBoth(logGamma(row.x), row, 1e-14, 1e-14, `lgamma(${row.x})`, 1);
    }
  });
});
