// Survival function of the one-sided one-sample Kolmogorov-Smirnov statistic D⁺_n (scipy's
// `scipy.special.smirnov(n, x)`). The two-sided distribution is 2·smirnov(n, x) where the
// events D⁺ ≥ x and D⁻ ≥ x cannot both happen (x ≥ 0.5) and a close approximation in the far
// tail. Same special cases as scipy's implementation; the general case sums the Birnbaum–
// Tingey series in log space (every term is positive, so the sum is accurate to ~1e-12).

/** ln of the smallest normal double: scipy reports sf = 0 when −2·n·x² is below it. */
const MIN_LOG = -708.3964185322641;
/** Above this n scipy replaces the series by the approximation e^(−(6nx+1)²/(18n)). */
const MAX_COMPUTE_N = 1_000_000;

/** P(D⁺_n ≥ x) for integer n ≥ 1 and 0 ≤ x ≤ 1. */
export function smirnovSurvival(n: number, x: number): number {
  if (!(n >= 1) || !(x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  if (nx <= 1) {
    // x ≤ 1/n: P(D⁺ < x) = x·(1 + x)^(n−1).
    return 1 - x * Math.pow(1 + x, n - 1);
  }
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nx >= n - 1) return Math.pow(1 - x, n);
  if (n > MAX_COMPUTE_N) {
    const logP = -Math.pow(6 * nx + 1, 2) / 18 / n;
    return logP < -Math.LN2 ? Math.exp(logP) : 1 + Math.expm1(logP);
  }
  return birnbaumTingeySum(n, x, nx);
}

/** x·Σ_{v=0}^{⌊n(1−x)⌋} C(n,v)·(x + v/n)^(v−1)·(1 − x − v/n)^(n−v). */
function birnbaumTingeySum(n: number, x: number, nx: number): number {
  const lastTerm = Math.ceil(n - nx) - 1; // the v with 1 − x − v/n = 0 contributes 0
  const logX = Math.log(x);
  let logBinomial = 0;
  let sum = 0;
  const middle = Math.floor(n / 2);
  for (let v = 0; v <= lastTerm; v++) {
    const lower = v / n + x;
    const upper = (n - v) / n - x;
    if (upper <= 0) break;
    const term = Math.exp(
      logX + logBinomial + (v - 1) * Math.log(lower) + (n - v) * Math.log(upper),
    );
    sum += term;
    // Same stopping rule as scipy: the remaining terms cannot change the sum.
    if (term !== 0) {
      if (4 * (lastTerm + 1 - v) * term < Number.EPSILON * sum && v !== 0 && v !== lastTerm) break;
    } else if (v > middle) {
      break;
    }
    logBinomial += Math.log((n - v) / (v + 1));
  }
  return Math.min(1, Math.max(0, sum));
}
