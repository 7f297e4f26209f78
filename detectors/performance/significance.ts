// The common result of the significance tests comparing a current window with its reference,
// and the convention used when both windows show no variability (standard error 0): the
// p-value is 1 when the two estimates are equal and 0 when they differ (the limit of the test
// statistic), and the statistic itself is reported as null rather than ±Infinity or NaN.

export type SignificanceTestName = "two_proportion_z" | "delong" | "welch_t";

export type SignificanceOutcome =
  | {
      computable: true;
      test: SignificanceTestName;
      /** z or t of current − reference; null when the standard error is 0. */
      statistic: number | null;
      /** Two-sided p-value. */
      p_value: number;
      /** Welch–Satterthwaite degrees of freedom (Welch's test only). */
      degrees_of_freedom: number | null;
      /** Set when the zero-standard-error convention decided the p-value. */
      note: string | null;
    }
  | { computable: false; test: SignificanceTestName; reason: string };

export function zeroStandardErrorOutcome(
  test: SignificanceTestName,
  difference: number,
): SignificanceOutcome {
  return {
    computable: true,
    test,
    statistic: null,
    p_value: difference === 0 ? 1 : 0,
    degrees_of_freedom: null,
    note:
      difference === 0
        ? "standard error is 0 and the estimates are equal: p-value set to 1"
        : "standard error is 0 and the estimates differ: p-value set to 0",
  };
}

export function testNotComputable(test: SignificanceTestName, reason: string): SignificanceOutcome {
  return { computable: false, test, reason };
}
