// Regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a), the survival function of
// the gamma distribution (and so of chi-squared: P(χ²_k ≥ s) = Q(k/2, s/2)). Power series for
// P = 1 − Q when x < a + 1, Lentz's continued fraction for Q otherwise; the common factor
// xᵃe⁻ˣ/Γ(a) is formed in log space so tiny tail probabilities keep their relative accuracy.
import { gammaln } from "simple-statistics";

const MAX_ITERATIONS = 100_000;
const TOLERANCE = Number.EPSILON;
const TINY = 1e-300;

/** Q(a, x) for a > 0, x ≥ 0. */
export function regularizedUpperGamma(a: number, x: number): number {
  if (!(a > 0) || !Number.isFinite(a))
    throw new RangeError(`incomplete gamma: a must be > 0, got ${a}`);
  if (Number.isNaN(x) || x < 0) throw new RangeError(`incomplete gamma: x must be ≥ 0, got ${x}`);
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (x < a + 1) return 1 - lowerSeries(a, x);
  return upperContinuedFraction(a, x);
}

/** P(a, x) = xᵃe⁻ˣ/Γ(a+1) · Σₖ xᵏ/((a+1)…(a+k)). */
function lowerSeries(a: number, x: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < MAX_ITERATIONS; k++) {
    term *= x / (a + k);
    sum += term;
    if (term < sum * TOLERANCE) break;
  }
  return Math.exp(a * Math.log(x) - x - gammaln(a + 1)) * sum;
}

/** Q(a, x) = xᵃe⁻ˣ/Γ(a) · 1/(x+1−a− 1(1−a)/(x+3−a− 2(2−a)/(x+5−a− …))) (modified Lentz). */
function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let fraction = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    fraction *= delta;
    if (Math.abs(delta - 1) < TOLERANCE) break;
  }
  return Math.exp(a * Math.log(x) - x - gammaln(a)) * fraction;
}

/** Survival function of the chi-squared distribution with `degrees` degrees of freedom. */
export function chiSquaredSurvival(statistic: number, degrees: number): number {
  return regularizedUpperGamma(degrees / 2, statistic / 2);
}
