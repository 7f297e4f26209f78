// Two-sided two-proportion z-test with the pooled standard error (the form statsmodels'
// proportions_ztest uses by default): p̂ = (x₁ + x₂)/(n₁ + n₂),
// z = (x₁/n₁ − x₂/n₂) / √(p̂(1 − p̂)(1/n₁ + 1/n₂)), p = P(|Z| ≥ |z|). Used for accuracy and for
// binary precision and recall (successes = true positives, trials = their denominators).

import type { SignificanceOutcome } from "./significance.js";
import { testNotComputable, zeroStandardErrorOutcome } from "./significance.js";
import { normalTwoSidedPValue } from "./special/normal.js";

export interface ProportionCounts {
  successes: number;
  trials: number;
}

/** Test current vs reference proportions; the statistic's sign follows current − reference. */
export function twoProportionZTest(
  current: ProportionCounts,
  reference: ProportionCounts,
): SignificanceOutcome {
  if (current.trials === 0 || reference.trials === 0) {
    return testNotComputable(
      "two_proportion_z",
      `a window has no trials (current ${current.trials}, reference ${reference.trials})`,
    );
  }
  const difference = current.successes / current.trials - reference.successes / reference.trials;
  const pooled = (current.successes + reference.successes) / (current.trials + reference.trials);
  const standardError = Math.sqrt(
    pooled * (1 - pooled) * (1 / current.trials + 1 / reference.trials),
  );
  if (standardError === 0) return zeroStandardErrorOutcome("two_proportion_z", difference);
  const z = difference / standardError;
  return {
    computable: true,
    test: "two_proportion_z",
    statistic: z,
    p_value: normalTwoSidedPValue(z),
    degrees_of_freedom: null,
    note: null,
  };
}
