// Survival function of the two-sided one-sample Kolmogorov-Smirnov statistic D_n for finite n
// (scipy.stats.kstwo.sf), the distribution scipy's ks_2samp uses as its "asymptotic" two-sample
// p-value with n = round(n₁·n₂/(n₁+n₂)). Follows Simard & L'Ecuyer (2011) as scipy does:
// Ruben–Gambino closed forms at the ends, 2·smirnov(n, x) in the upper tail, the Durbin matrix
// (Marsaglia–Tsang–Wang) for small n·x², and the Pelz–Good expansion for large n. Where scipy
// uses Pomeranz's exact recursion (n ≤ 140, 0.754693 < n·x² ≤ 4) the exact Durbin matrix gives
// the same probability, so it is used there too.
import { ldexp } from "../math/ldexp.js";
import { smirnovSurvival } from "./smirnov.js";

const SCALE_EXPONENT = 128;
const SCALE_UP = 2 ** SCALE_EXPONENT;
const SCALE_DOWN = 2 ** -SCALE_EXPONENT;
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const PI_SQUARED = Math.PI ** 2;
const PI_FOURTH = Math.PI ** 4;
const PI_SIXTH = Math.PI ** 6;
const MIN_LOG_Q = -708;
/** Stirling series coefficients B₂ⱼ/(2j(2j−1)), j = 8 … 1 (highest power first). */
const STIRLING_COEFFICIENTS = [
  -3617 / 122400,
  1 / 156,
  -691 / 360360,
  1 / 1188,
  -1 / 1680,
  1 / 1260,
  -1 / 360,
  1 / 12,
];

const clipProbability = (p: number): number => Math.min(1, Math.max(0, p));

/** P(D_n ≥ x) for integer n ≥ 1. */
export function kolmogorovSurvival(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: 1/(2n) ≤ x ≤ 1/n.
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clipProbability(1 - cdf);
  }
  if (t >= n - 1) return clipProbability(2 * Math.pow(1 - x, n)); // Ruben–Gambino
  if (x >= 0.5) return clipProbability(2 * smirnovSurvival(n, x)); // exact: the tails are disjoint
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 4) return clipProbability(1 - durbinMatrixCdf(n, x));
    return clipProbability(2 * smirnovSurvival(n, x)); // Miller's approximation
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clipProbability(2 * smirnovSurvival(n, x));
  const cdf =
    nxSquared >= 18
      ? 1
      : n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4
        ? durbinMatrixCdf(n, x)
        : pelzGoodCdf(n, x);
  return clipProbability(1 - cdf);
}

/** ln(n!/nⁿ) by Stirling's series with the n·ln n term removed up front. */
function logFactorialOverPower(n: number): number {
  const reciprocal = 1 / n;
  const y = reciprocal / n;
  let series = 0;
  for (const coefficient of STIRLING_COEFFICIENTS) series = series * y + coefficient;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + reciprocal * series;
}

/**
 * P(D_n ≤ d) by Durbin's matrix method as Marsaglia, Tsang & Wang evaluate it: with
 * d = (k − h)/n, the (k,k) entry of Hⁿ (H of size 2k−1) times n!/nⁿ, rescaling by 2^±128 to
 * stay within double range.
 */
export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const size = 2 * k - 1;
  const firstColumn = new Float64Array(size);
  const inverseFactorials = new Float64Array(size);
  let factorial = 1;
  for (let j = 1; j <= size; j++) {
    inverseFactorials[j - 1] = factorial;
    factorial /= j;
    firstColumn[j - 1] = (1 - Math.pow(h, j)) * factorial;
  }
  const correction = Math.pow(Math.max(2 * h - 1, 0), size) - 2 * Math.pow(h, size);
  firstColumn[size - 1] = (1 + correction) * factorial;

  let matrix: Float64Array = new Float64Array(size * size);
  for (let column = 1; column < size; column++) {
    for (let row = column - 1; row < size; row++)
      matrix[row * size + column] = inverseFactorials[row - column + 1]!;
  }
  for (let row = 0; row < size; row++) matrix[row * size] = firstColumn[row]!;
  for (let column = 0; column < size; column++)
    matrix[(size - 1) * size + column] = firstColumn[size - 1 - column]!;

  let power: Float64Array = identity(size);
  let remaining = n;
  let powerExponent = 0;
  let matrixExponent = 0;
  const diagonal = (k - 1) * size + (k - 1);
  while (remaining > 0) {
    if (remaining % 2 === 1) {
      power = multiply(power, matrix, size);
      powerExponent += matrixExponent;
    }
    matrix = multiply(matrix, matrix, size);
    matrixExponent *= 2;
    if (Math.abs(matrix[diagonal]!) > SCALE_UP) {
      for (let i = 0; i < matrix.length; i++) matrix[i] = matrix[i]! * SCALE_DOWN;
      matrixExponent += SCALE_EXPONENT;
    }
    remaining = Math.floor(remaining / 2);
  }

  let p = power[diagonal]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      powerExponent -= SCALE_EXPONENT;
    }
  }
  if (powerExponent !== 0) p = ldexp(p, powerExponent);
  return clipProbability(p);
}

function identity(size: number): Float64Array {
  const result = new Float64Array(size * size);
  for (let i = 0; i < size; i++) result[i * size + i] = 1;
  return result;
}

function multiply(left: Float64Array, right: Float64Array, size: number): Float64Array {
  const result = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    const rowOffset = row * size;
    for (let inner = 0; inner < size; inner++) {
      const factor = left[rowOffset + inner]!;
      if (factor === 0) continue;
      const innerOffset = inner * size;
      for (let column = 0; column < size; column++) {
        result[rowOffset + column] += factor * right[innerOffset + column]!;
      }
    }
  }
  return result;
}

/**
 * Pelz & Good's approximation of P(D_n ≤ x): the Li-Chien/Korolyuk expansion
 * K₀ + K₁/√n + K₂/n + K₃/n^1.5 at z = x√n, each term rewritten with Jacobi theta identities
 * into sums that converge fast for small z.
 */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const logQ = -PI_SQUARED / 8 / z2;
  if (logQ < MIN_LOG_Q) return 0;
  let q = Math.exp(logQ);

  const k1a = -z2;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI_SQUARED) / 4;
  const k2c = (PI_FOURTH * (1 - 2 * z2)) / 16;
  const k3d = (PI_SIXTH * (5 - 30 * z2)) / 64;
  const k3c = (PI_FOURTH * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI_SQUARED * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * Math.pow(z, 8);

  // Horner scheme over odd m = 2k−1 of c(m)·q^(m²), in powers of q⁸.
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k >= 1; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = Math.pow(q, 8 * k);
    const coefficients = [
      1,
      k1a + k1b * m2,
      k2a + k2b * m2 + k2c * m4,
      k3a + k3b * m2 + k3c * m4 + k3d * m6,
    ];
    for (let i = 0; i < 4; i++) terms[i] = terms[i]! * qPower + coefficients[i]!;
  }
  const divisors = [z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)];
  for (let i = 0; i < 4; i++) terms[i] = (terms[i]! * q * SQRT_2PI) / divisors[i]!;

  // Sums over all integers k for the extra parts of K₂ and K₃.
  q = Math.exp(-PI_SQUARED / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2Extra = 0;
  let k3Extra = 0;
  for (let k = maxK; k >= 1; k--) {
    const k2 = k * k;
    const qPower = Math.pow(q, k2);
    const kPi = Math.PI * k;
    k2Extra += k2 * qPower;
    k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qPower;
  }
  terms[2] = terms[2]! + k2Extra * ((PI_SQUARED * SQRT_2PI) / (-36 * z3));
  terms[3] = terms[3]! + k3Extra * ((PI_SQUARED * SQRT_2PI) / (216 * z6));
  let cdf = 0;
  for (let i = 0; i < 4; i++) cdf += terms[i]! / Math.pow(n, i / 2);
  return cdf;
}
