// One computable column's entry of the `check --json` document: the contract figures in DESIGN's
// names plus the rule's test, value and threshold.
import type { ColumnVerdict } from "../../detectors/index.js";
import type { ColumnComparison, ColumnSample } from "./compare-column.js";
import type { CategoricalColumnReport, NumericColumnReport } from "./report.js";

export interface ColumnCountFields {
  n_reference: number;
  n_current: number;
  missing_reference: number;
  missing_current: number;
}

export interface Computed {
  comparison: Extract<ColumnComparison, { computable: true }>;
  counts: ColumnCountFields;
  reference: ColumnSample;
  current: ColumnSample;
}

export function countsOf(reference: ColumnSample, current: ColumnSample): ColumnCountFields {
  return {
    n_reference: reference.nonMissing,
    n_current: current.nonMissing,
    missing_reference: reference.missing,
    missing_current: current.missing,
  };
}

export function columnReport(
  { comparison, counts, reference, current }: Computed,
  rule: ColumnVerdict,
): NumericColumnReport | CategoricalColumnReport {
  const verdict = {
    test: rule.test,
    value: rule.value,
    threshold: rule.threshold,
    drifted: rule.drifted,
    psi_drifted: rule.psi_drifted,
  };
  if (comparison.kind === "numeric") {
    const { psi, js, ks, wasserstein, wasserstein_normed } = comparison.result;
    return {
      kind: "numeric",
      computable: true,
      ...counts,
      psi,
      js,
      ks: { statistic: ks.statistic, p_value: ks.p_value },
      wasserstein,
      wasserstein_normed,
      ...verdict,
    };
  }
  const { psi, js, chi2 } = comparison.result;
  return {
    kind: "categorical",
    computable: true,
    ...counts,
    counts: {
      reference: Object.fromEntries(reference.counts),
      current: Object.fromEntries(current.counts),
    },
    psi,
    js,
    chi2: { statistic: chi2.statistic, p_value: chi2.p_value },
    ...verdict,
  };
}
