// Welch's unequal-variance t-test of two means from their summaries, as
// scipy.stats.ttest_ind(current, reference, equal_var=False) computes it: t = Δmean / √(v₁/n₁ +
// v₂/n₂), Welch–Satterthwaite degrees of freedom, two-sided p from Student's t. Used on per-row
// absolute errors (MAE), squared errors (RMSE), percentage errors (MAPE) and log losses.

import type { SampleSummary } from "./sample-summary.js";
import type { SignificanceOutcome } from "./significance.js";
import { testNotComputable, zeroStandardErrorOutcome } from "./significance.js";
import { studentTTwoSidedPValue } from "./special/student-t.js";

/** Test current vs reference means; the statistic's sign follows current − reference. */
export function welchTTest(current: SampleSummary, reference: SampleSummary): SignificanceOutcome {
  if (current.variance === null || reference.variance === null) {
    return testNotComputable(
      "welch_t",
      `needs at least 2 rows in each window (current ${current.n}, reference ${reference.n})`,
    );
  }
  const difference = current.mean - reference.mean;
  const currentTerm = current.variance / current.n;
  const referenceTerm = reference.variance / reference.n;
  const standardError = Math.sqrt(currentTerm + referenceTerm);
  if (standardError === 0) return zeroStandardErrorOutcome("welch_t", difference);
  const degreesOfFreedom =
    (currentTerm + referenceTerm) ** 2 /
    (currentTerm ** 2 / (current.n - 1) + referenceTerm ** 2 / (reference.n - 1));
  const t = difference / standardError;
  return {
    computable: true,
    test: "welch_t",
    statistic: t,
    p_value: studentTTwoSidedPValue(t, degreesOfFreedom),
    degrees_of_freedom: degreesOfFreedom,
    note: null,
  };
}
