// Expected calibration error (ECE) of probabilities against 0/1 outcomes, the measure the
// calibration rule compares: ten equal-width bins on [0, 1] (edges k/10 as numpy.linspace(0, 1,
// 11) computes them, each bin [low, high) except the last, [0.9, 1], which is closed — the bins of
// numpy.histogram), and ECE = Σ over bins |Σ (outcome − probability)| / n, i.e. the bin-share
// weighted gap between the observed positive rate and the mean probability of each bin.

export const CALIBRATION_BINS = 10;

const EDGES = Float64Array.from({ length: CALIBRATION_BINS + 1 }, (_, k) =>
  k === CALIBRATION_BINS ? 1 : k * (1 / CALIBRATION_BINS),
);

/** The bin of a probability in [0, 1] (see the module comment). */
export function calibrationBin(probability: number): number {
  let bin = Math.min(Math.floor(probability * CALIBRATION_BINS), CALIBRATION_BINS - 1);
  if (bin < 0) bin = 0;
  while (bin > 0 && probability < EDGES[bin]!) bin -= 1;
  while (bin < CALIBRATION_BINS - 1 && probability >= EDGES[bin + 1]!) bin += 1;
  return bin;
}

/**
 * ECE over the rows listed in `rows` (default: all). `probabilities[i]` is row i's probability
 * of the positive class, `isPositive[i]` its outcome (1 positive, 0 negative). 0 for no rows.
 */
export function expectedCalibrationError(
  probabilities: ArrayLike<number>,
  isPositive: ArrayLike<number>,
  rows?: ArrayLike<number>,
): number {
  const gaps = new Float64Array(CALIBRATION_BINS);
  const count = rows === undefined ? probabilities.length : rows.length;
  for (let r = 0; r < count; r += 1) {
    const row = rows === undefined ? r : rows[r]!;
    const probability = probabilities[row]!;
    gaps[calibrationBin(probability)] += isPositive[row]! - probability;
  }
  if (count === 0) return 0;
  let total = 0;
  for (const gap of gaps) total += Math.abs(gap);
  return total / count;
}
