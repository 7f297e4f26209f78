// The regularized incomplete beta function I_x(a, b), evaluated from its continued fraction
// (DLMF 8.17.22) by the modified Lentz method, with the symmetry I_x(a,b) = 1 − I_{1−x}(b,a)
// to stay where the fraction converges quickly. Callers pass 1 − x too, so tails keep precision.

import { logBeta } from "./log-gamma.js";

const MAX_FRACTION_TERMS = 100_000;
const RELATIVE_TOLERANCE = 1e-16;
const TINY = 1e-300;

/** ln(x) with x given alongside its complement y = 1 − x (whichever is more precise is used). */
function logFromPair(x: number, y: number): number {
  return x < 0.5 ? Math.log(x) : Math.log1p(-y);
}

/** The continued fraction 1/(1+ d₁/(1+ d₂/(1+ …))) of I_x(a, b), valid for x < (a+1)/(a+b+2). */
function betaFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let value = d;
  for (let m = 1; m <= MAX_FRACTION_TERMS; m += 1) {
    const twoM = 2 * m;
    const evenStep = (m * (b - m) * x) / ((a + twoM - 1) * (a + twoM));
    d = 1 + evenStep * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + evenStep / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    value *= d * c;
    const oddStep = -((a + m) * (a + b + m) * x) / ((a + twoM) * (a + twoM + 1));
    d = 1 + oddStep * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + oddStep / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const factor = d * c;
    value *= factor;
    if (Math.abs(factor - 1) < RELATIVE_TOLERANCE) return value;
  }
  throw new Error(`incomplete beta: continued fraction did not converge (a=${a}, b=${b}, x=${x})`);
}

/** x^a (1−x)^b / (a B(a,b)): the prefactor of the continued fraction. */
function prefactor(a: number, b: number, x: number, y: number): number {
  return Math.exp(a * logFromPair(x, y) + b * logFromPair(y, x) - logBeta(a, b)) / a;
}

/**
 * I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1. `complement` is 1 − x computed by the caller without
 * cancellation (defaults to 1 − x).
 */
export function regularizedIncompleteBeta(
  a: number,
  b: number,
  x: number,
  complement: number = 1 - x,
): number {
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(`incomplete beta: a and b must be positive and finite (a=${a}, b=${b})`);
  }
  if (!(x >= 0 && x <= 1) || !(complement >= 0 && complement <= 1)) {
    throw new RangeError(`incomplete beta: x must lie in [0, 1] (x=${x})`);
  }
  if (x === 0) return 0;
  if (complement === 0) return 1;
  if (x < (a + 1) / (a + b + 2)) {
    return prefactor(a, b, x, complement) * betaFraction(a, b, x);
  }
  return 1 - prefactor(b, a, complement, x) * betaFraction(b, a, complement);
}
