// Count, mean and sample variance (ddof = 1, two-pass as numpy computes it) of per-row values:
// the sufficient statistics of MAE, RMSE, MAPE and log loss and of Welch's t-test on them.
// Sums are compensated (Neumaier) so million-row windows keep full precision, and a constant
// sample gets its value as the exact mean and variance 0 (no rounding residue that would make
// two perfect windows look different to a t-test).

export interface SampleSummary {
  n: number;
  mean: number;
  /** Unbiased sample variance (ddof = 1); null when n < 2. */
  variance: number | null;
}

/** Summarise per-row values (n ≥ 1). */
export function summarizeSample(values: Float64Array): SampleSummary {
  const n = values.length;
  if (n === 0) throw new RangeError("summarizeSample: no values");
  if (isConstant(values)) return { n, mean: values[0], variance: n < 2 ? null : 0 };
  const mean = compensatedSum(values, (value) => value) / n;
  if (n < 2) return { n, mean, variance: null };
  const squares = compensatedSum(values, (value) => (value - mean) * (value - mean));
  return { n, mean, variance: squares / (n - 1) };
}

function isConstant(values: Float64Array): boolean {
  const first = values[0];
  for (let i = 1; i < values.length; i += 1) if (values[i] !== first) return false;
  return true;
}

/** Σ term(values[i]) with Neumaier's compensation for lost low-order bits. */
function compensatedSum(values: Float64Array, term: (value: number) => number): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i += 1) {
    const addend = term(values[i]);
    const next = sum + addend;
    compensation += Math.abs(sum) >= Math.abs(addend) ? sum - next + addend : addend - next + sum;
    sum = next;
  }
  return sum + compensation;
}
