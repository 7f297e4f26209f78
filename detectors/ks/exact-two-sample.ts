// Exact two-sided p-value of the two-sample KS statistic, P(D ≥ d | n, m), by the lattice-path
// algorithms scipy.stats.ks_2samp uses for method="exact"/"auto": for n = m the alternating
// binomial series in Horner form, for n ≠ m the "inside" path-count recursion of Hodges with
// Viehmann's 1 − p reformulation (values stay in [0, 1], so it never overflows). Like scipy,
// the result is reported as unusable when rounding pushes it outside [0, 1]; the caller then
// falls back to the asymptotic distribution.

/** Outcome of the exact computation: the statistic snapped to the lattice (h / lcm) and p. */
export interface ExactKsOutcome {
  /** false when the computation gave a value outside [0, 1] (scipy then switches to asymp). */
  usable: boolean;
  statistic: number;
  pValue: number;
}

export function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** numpy's round(): halves go to the even neighbour. */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Exact P(D_{n,m} ≥ d) for sample sizes n (reference) and m (current). */
export function exactTwoSampleKs(n: number, m: number, statistic: number): ExactKsOutcome {
  const divisor = greatestCommonDivisor(n, m);
  const lcm = (n / divisor) * m;
  const h = roundHalfToEven(statistic * lcm);
  const snapped = h / lcm;
  if (h === 0) return { usable: true, statistic: snapped, pValue: 1 };
  const pValue =
    n === m ? probabilityOutsideSquare(n, h) : probabilityOutsideStrip(n, m, divisor, h);
  return { usable: pValue >= 0 && pValue <= 1, statistic: snapped, pValue };
}

/**
 * Equal sizes: P(D_{n,n} ≥ h/n) = 2·Σ_k (−1)^(k+1) C(2n, n−kh)/C(2n, n), evaluated as
 * 2·A₀(1 − A₁(1 − A₂(…))) with each ratio A_k built from h simple factors.
 */
function probabilityOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * Unequal sizes: the share of monotone lattice paths from (0,0) to (m,n) that leave the strip
 * |x/m − y/n| < h/lcm, computed column by column over a sliding window of the strip. Each
 * entry holds the share of paths to that point that have already left the strip (1 outside it).
 */
function probabilityOutsideStrip(sizeA: number, sizeB: number, divisor: number, h: number): number {
  const m = Math.max(sizeA, sizeB);
  const n = Math.min(sizeA, sizeB);
  const mg = m / divisor;
  const ng = n / divisor;
  let windowStart = 0;
  let windowEnd = Math.min(Math.ceil(h / mg), n + 1);
  let windowLength = windowEnd - windowStart;
  const column = new Float64Array(Math.min(2 * windowEnd + 2, n + 1)).fill(1);
  column.fill(0, windowStart, windowEnd);
  for (let i = 1; i <= m; i++) {
    const previousStart = windowStart;
    const previousLength = windowLength;
    windowStart = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    windowEnd = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (windowEnd <= windowStart) return 1;
    let value = windowStart === 0 ? 0 : 1;
    const offset = windowStart - previousStart;
    for (let jj = 0; jj < windowEnd - windowStart; jj++) {
      const j = jj + windowStart;
      const left = column[jj + offset] ?? 1; // beyond the stored window: outside the strip
      value = (left * i + value * j) / (i + j);
      column[jj] = value;
    }
    windowLength = windowEnd - windowStart;
    if (previousLength > windowLength) column.fill(1, windowLength, previousLength);
  }
  return column[windowEnd - windowStart - 1]!;
}
