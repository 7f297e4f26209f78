// Expected ROC AUC when each row is positive with its own probability p (independently):
// E[positive-above-negative pairs] / E[positive × negative pairs], pairs of distinct rows,
// ranked by the model's scores with ties counting one half. With p the 0/1 labels this is the
// realized AUC (the Mann-Whitney form of scikit-learn's roc_auc_score). Optionally the gradient
// of the realized AUC with respect to each row's label at the expectation, for the delta-method
// variance Σ gradient² · p(1 − p) (see binary-metrics.ts). O(n) given the rows in score order.

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
  let positives = 0; // P = Σ p
  let negatives = 0; // Q = Σ (1 − p)
  let sameRowPairs = 0; // Σ p(1 − p): a row cannot pair with itself
  for (let r = 0; r < order.length; r += 1) {
    const p = probabilities[order[r]!]!;
    positives += p;
    negatives += 1 - p;
    sameRowPairs += p * (1 - p);
  }
  const pairs = positives * negatives - sameRowPairs;
  if (!(pairs > 0)) return { value: null };

  // U = Σ_k p_k · L_k, L_k = negatives ranked below row k + ½ tied negatives other than k.
  let ordered = 0;
  walkTieGroups(
    probabilities,
    rankScores,
    order,
    (start, end, _groupP, groupQ, _belowP, belowQ) => {
      for (let r = start; r < end; r += 1) {
        const p = probabilities[order[r]!]!;
        ordered += p * (belowQ + 0.5 * (groupQ - (1 - p)));
      }
    },
  );
  const value = ordered / pairs;
  if (gradient !== undefined) {
    // AUC = U / D with D = N₁·N₀: ∂U/∂y_k = L_k − H_k, ∂D/∂y_k = N₀ − N₁ (at the expectation).
    const pairsSlope = (negatives - positives) / pairs;
    walkTieGroups(
      probabilities,
      rankScores,
      order,
      (start, end, groupP, groupQ, belowP, belowQ) => {
        const aboveP = positives - belowP - groupP;
        for (let r = start; r < end; r += 1) {
          const row = order[r]!;
          const p = probabilities[row]!;
          const below = belowQ + 0.5 * (groupQ - (1 - p));
          const above = aboveP + 0.5 * (groupP - p);
          gradient[row] = (below - above) / pairs - value * pairsSlope;
        }
      },
    );
  }
  return { value };
}

type GroupVisitor = (
  start: number,
  end: number,
  groupP: number,
  groupQ: number,
  belowP: number,
  belowQ: number,
) => void;

/** Visit runs of equal rank score in ascending order with their sums and the sums below them. */
function walkTieGroups(
  probabilities: Float64Array,
  rankScores: Float64Array,
  order: Uint32Array,
  visit: GroupVisitor,
): void {
  let belowP = 0;
  let belowQ = 0;
  let start = 0;
  while (start < order.length) {
    const score = rankScores[order[start]!]!;
    let end = start;
    let groupP = 0;
    let groupQ = 0;
    while (end < order.length && rankScores[order[end]!] === score) {
      const p = probabilities[order[end]!]!;
      groupP += p;
      groupQ += 1 - p;
      end += 1;
    }
    visit(start, end, groupP, groupQ, belowP, belowQ);
    belowP += groupP;
    belowQ += groupQ;
    start = end;
  }
}
