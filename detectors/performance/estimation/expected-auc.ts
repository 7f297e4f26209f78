// Expected ROC AUC when each row is positive with its own probability p (independently):
// E[positive-above-negative pairs] / E[positive × negative pairs], pairs of distinct rows,
// ranked by the model's scores with ties counting one half. With p the 0/1 labels this is the
// realized AUC (the Mann-Whitney form of scikit-learn's roc_auc_score). Optionally the gradient
// of the realized AUC with respect to each row's label at the expectation, for the delta-method
// variance Σ gradient² · p(1 − p) (see binary-metrics.ts). O(n) given the rows in score order;
// the walks run over copies of the rows in that order (sequential reads, not random ones).

export interface ExpectedAuc {
  /** Expected AUC, null when no pair of a positive and a negative row is possible. */
  value: number | null;
}

/**
 * `order` lists the rows to use in ascending `rankScores`. When `gradient` is given, its entry
 * for each listed row receives ∂AUC/∂label of that row (left untouched when value is null).
 */
export function expectedAuc(
  probabilities: Float64Array,
  rankScores: Float64Array,
  order: Uint32Array,
  gradient?: Float64Array,
): ExpectedAuc {
  const count = order.length;
  const sortedProbabilities = new Float64Array(count);
  const sortedScores = new Float64Array(count);
  for (let r = 0; r < count; r += 1) {
    sortedProbabilities[r] = probabilities[order[r]!]!;
    sortedScores[r] = rankScores[order[r]!]!;
  }
  const sortedGradient = gradient === undefined ? undefined : new Float64Array(count);
  const result = expectedAucSorted(sortedProbabilities, sortedScores, sortedGradient);
  if (sortedGradient !== undefined && result.value !== null) {
    for (let r = 0; r < count; r += 1) gradient![order[r]!] = sortedGradient[r]!;
  }
  return result;
}

/**
 * expectedAuc of rows already in ascending score order (`probabilities[r]` and `scores[r]` are
 * the r-th row's): the same figures, reading memory in sequence. `gradient[r]` receives the r-th
 * row's ∂AUC/∂label.
 */
export function expectedAucSorted(
  probabilities: Float64Array,
  scores: Float64Array,
  gradient?: Float64Array,
): ExpectedAuc {
  const count = probabilities.length;
  let positives = 0; // P = Σ p
  let negatives = 0; // Q = Σ (1 − p)
  let sameRowPairs = 0; // Σ p(1 − p): a row cannot pair with itself
  for (let r = 0; r < count; r += 1) {
    const p = probabilities[r]!;
    positives += p;
    negatives += 1 - p;
    sameRowPairs += p * (1 - p);
  }
  const pairs = positives * negatives - sameRowPairs;
  if (!(pairs > 0)) return { value: null };

  // U = Σ_k p_k · L_k, L_k = negatives ranked below row k + ½ tied negatives other than k.
  let ordered = 0;
  let belowQ = 0;
  for (let start = 0; start < count;) {
    const end = tieGroupEnd(scores, start);
    let groupQ = 0;
    for (let r = start; r < end; r += 1) groupQ += 1 - probabilities[r]!;
    for (let r = start; r < end; r += 1) {
      const p = probabilities[r]!;
      ordered += p * (belowQ + 0.5 * (groupQ - (1 - p)));
    }
    belowQ += groupQ;
    start = end;
  }
  const value = ordered / pairs;
  if (gradient !== undefined) {
    // AUC = U / D with D = N₁·N₀: ∂U/∂y_k = L_k − H_k, ∂D/∂y_k = N₀ − N₁ (at the expectation).
    const pairsSlope = (negatives - positives) / pairs;
    let belowP = 0;
    belowQ = 0;
    for (let start = 0; start < count;) {
      const end = tieGroupEnd(scores, start);
      let groupP = 0;
      let groupQ = 0;
      for (let r = start; r < end; r += 1) {
        const p = probabilities[r]!;
        groupP += p;
        groupQ += 1 - p;
      }
      const aboveP = positives - belowP - groupP;
      for (let r = start; r < end; r += 1) {
        const p = probabilities[r]!;
        const below = belowQ + 0.5 * (groupQ - (1 - p));
        const above = aboveP + 0.5 * (groupP - p);
        gradient[r] = (below - above) / pairs - value * pairsSlope;
      }
      belowP += groupP;
      belowQ += groupQ;
      start = end;
    }
  }
  return { value };
}

/** The end (exclusive) of the run of scores equal to scores[start]. */
function tieGroupEnd(scores: Float64Array, start: number): number {
  const score = scores[start]!;
  let end = start + 1;
  while (end < scores.length && scores[end] === score) end += 1;
  return end;
}
