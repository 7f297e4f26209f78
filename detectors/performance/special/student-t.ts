// Tails of Student's t distribution (real, possibly fractional degrees of freedom, as Welch's
// test produces) through the regularized incomplete beta function:
// P(|T| ≥ t) = I_{ν/(ν+t²)}(ν/2, 1/2).

import { regularizedIncompleteBeta } from "./incomplete-beta.js";

function checkDegreesOfFreedom(degreesOfFreedom: number): void {
  if (!(degreesOfFreedom > 0) || !Number.isFinite(degreesOfFreedom)) {
    throw new RangeError(
      `student t: degrees of freedom must be positive and finite, got ${degreesOfFreedom}`,
    );
  }
}

/** Two-sided p-value P(|T| ≥ |t|) for T ~ t(ν). */
export function studentTTwoSidedPValue(t: number, degreesOfFreedom: number): number {
  checkDegreesOfFreedom(degreesOfFreedom);
  if (Number.isNaN(t)) throw new RangeError("student t: statistic is NaN");
  if (!Number.isFinite(t)) return 0;
  const tSquared = t * t;
  const denominator = degreesOfFreedom + tSquared;
  const x = degreesOfFreedom / denominator;
  const complement = tSquared / denominator;
  return regularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, x, complement);
}

/** Upper tail P(T > t) for T ~ t(ν). */
export function studentTSurvival(t: number, degreesOfFreedom: number): number {
  const halfTwoSided = studentTTwoSidedPValue(t, degreesOfFreedom) / 2;
  return t >= 0 ? halfTwoSided : 1 - halfTwoSided;
}
