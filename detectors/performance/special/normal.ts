// The complementary error function and the standard normal tail built on it, accurate to about
// 1e-15 relative: a Taylor series of erf below 0.5 (where 1 − erf loses nothing), Lentz's
// evaluation of the Laplace continued fraction above, exp(−x²) split so that x² is exact, and
// z/√2 carried in double-double so its rounding does not cost 2x² ulps in the far tail.

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;
const SERIES_LIMIT = 0.5;
const MAX_FRACTION_TERMS = 5000;
const TINY = 1e-300;

/** erf(x) for |x| ≤ 0.5 by its Maclaurin series (alternating, terms shrink by ≥ 4×). */
function erfSeries(x: number): number {
  const xSquared = x * x;
  let power = x; // (−1)ⁿ x^(2n+1) / n!
  let sum = x;
  for (let n = 1; n < 60; n += 1) {
    power *= -xSquared / n;
    const term = power / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * sum;
}

/** exp(−x²) without the relative error that rounding x² would cause for large x. */
function expMinusSquare(x: number): number {
  const high = Math.round(x * 4096) / 4096; // few significant bits: high² is exact
  const low = x - high;
  return Math.exp(-high * high) * Math.exp(-low * (x + high));
}

/**
 * erfc(x)·exp(x²)·√π for x ≥ 0.5 via the continued fraction
 * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated by the modified Lentz method.
 */
function scaledErfcFraction(x: number): number {
  let value = x;
  let c = x;
  let d = 0;
  for (let k = 1; k <= MAX_FRACTION_TERMS; k += 1) {
    const numerator = k / 2;
    d = x + numerator * d;
    if (d === 0) d = TINY;
    c = x + numerator / c;
    if (c === 0) c = TINY;
    d = 1 / d;
    const factor = c * d;
    value *= factor;
    if (Math.abs(factor - 1) < 1e-16) break;
  }
  return 1 / value;
}

/** Complementary error function erfc(x) = 1 − erf(x) for any finite or infinite x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) throw new RangeError("erfc: argument is NaN");
  if (x < 0) return 2 - erfc(-x);
  if (x < SERIES_LIMIT) return 1 - erfSeries(x);
  if (x > 27.3) return 0; // below the smallest subnormal double
  return ONE_OVER_SQRT_PI * expMinusSquare(x) * scaledErfcFraction(x);
}

const SQRT2_LOW = -9.667293313452913e-17; // √2 − Math.SQRT2
const SPLITTER = 134217729; // 2^27 + 1, Dekker's splitting constant

/** The high and low halves of a double (each with at most 26 significant bits). */
function split(value: number): [number, number] {
  const scaled = SPLITTER * value;
  const high = scaled - (scaled - value);
  return [high, value - high];
}

/** erfc(z/√2) for z ≥ 0 with the quotient carried as high + low parts. */
function erfcOfScaled(z: number): number {
  const high = z * Math.SQRT1_2;
  if (high < SERIES_LIMIT || high > 27.3) return erfc(high);
  // Residual z − high·√2, with high·Math.SQRT2 formed exactly (Dekker's product).
  const product = high * Math.SQRT2;
  const [highHi, highLo] = split(high);
  const [rootHi, rootLo] = split(Math.SQRT2);
  const productError =
    highHi * rootHi - product + highHi * rootLo + highLo * rootHi + highLo * rootLo;
  const residual = z - product - productError - high * SQRT2_LOW;
  const low = residual * Math.SQRT1_2;
  // erfc(high + low) = erfc(high) − low · (2/√π) e^(−high²) to first order (low ≈ 1e-16·high).
  return erfc(high) - low * TWO_OVER_SQRT_PI * expMinusSquare(high);
}

/** Upper tail P(Z > z) of the standard normal distribution. */
export function normalSurvival(z: number): number {
  if (Number.isNaN(z)) throw new RangeError("normalSurvival: argument is NaN");
  return z >= 0 ? 0.5 * erfcOfScaled(z) : 1 - 0.5 * erfcOfScaled(-z);
}

/** Two-sided p-value P(|Z| ≥ |z|) of a standard normal test statistic. */
export function normalTwoSidedPValue(z: number): number {
  if (Number.isNaN(z)) throw new RangeError("normalTwoSidedPValue: statistic is NaN");
  return erfcOfScaled(Math.abs(z));
}
