// Mapping a binary classifier's score to a class: positive when score ≥ threshold, as
// scikit-learn's FixedThresholdClassifier does (default threshold 0.5 for probabilities).

export const DEFAULT_THRESHOLD = 0.5;

/** 1 (positive) where score ≥ threshold, else 0. */
export function thresholdScores(scores: Float64Array, threshold: number): Uint8Array {
  const predictedPositive = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i += 1) predictedPositive[i] = scores[i] >= threshold ? 1 : 0;
  return predictedPositive;
}

/** Index of the largest score in each row (the first on ties, as numpy's argmax). */
export function argmaxRows(scoreRows: ReadonlyArray<Float64Array>): Int32Array {
  const winners = new Int32Array(scoreRows.length);
  for (let row = 0; row < scoreRows.length; row += 1) {
    const scores = scoreRows[row];
    let best = 0;
    for (let column = 1; column < scores.length; column += 1) {
      if (scores[column] > scores[best]) best = column;
    }
    winners[row] = best;
  }
  return winners;
}
