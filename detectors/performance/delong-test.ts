// DeLong's test for the ROC AUCs of two independent samples (unpaired: different rows in the
// current and reference windows): each AUC's variance comes from its own structural components,
// z = (AUC₁ − AUC₂) / √(var₁ + var₂), p = P(|Z| ≥ |z|).

import type { SignificanceOutcome } from "./significance.js";
import { testNotComputable, zeroStandardErrorOutcome } from "./significance.js";
import { normalTwoSidedPValue } from "./special/normal.js";

export interface AucWithVariance {
  auc: number;
  /** DeLong variance; null when a class has fewer than 2 rows. */
  variance: number | null;
}

/** Test current vs reference AUC; the statistic's sign follows current − reference. */
export function delongTest(
  current: AucWithVariance,
  reference: AucWithVariance,
): SignificanceOutcome {
  if (current.variance === null || reference.variance === null) {
    return testNotComputable(
      "delong",
      "DeLong's variance needs at least 2 positive and 2 negative rows in each window",
    );
  }
  const difference = current.auc - reference.auc;
  const standardError = Math.sqrt(current.variance + reference.variance);
  if (standardError === 0) return zeroStandardErrorOutcome("delong", difference);
  const z = difference / standardError;
  return {
    computable: true,
    test: "delong",
    statistic: z,
    p_value: normalTwoSidedPValue(z),
    degrees_of_freedom: null,
    note: null,
  };
}
