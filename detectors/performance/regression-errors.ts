// Regression error metrics as scikit-learn defines them: MAE (mean |y − ŷ|), RMSE
// (√ mean (y − ŷ)², root_mean_squared_error) and MAPE (mean |y − ŷ| / max(|y|, ε), a fraction,
// not a percentage, with ε = 2.220446049250313e-16 so a zero target gives a huge but finite
// term). Each keeps the per-row summary Welch's t-test needs.

import type { MetricResult } from "./metric-result.js";
import { computableMetric, notComputable } from "./metric-result.js";
import { summarizeSample } from "./sample-summary.js";

export const MAPE_EPSILON = 2.220446049250313e-16;

export interface RegressionErrors {
  mae: MetricResult;
  rmse: MetricResult;
  mape: MetricResult;
}

/** MAE, RMSE and MAPE of equally long target and prediction arrays. */
export function regressionErrors(
  targets: Float64Array,
  predictions: Float64Array,
): RegressionErrors {
  const n = targets.length;
  if (n === 0) {
    const empty = notComputable("no labelled rows", 0);
    return { mae: empty, rmse: empty, mape: empty };
  }
  const absoluteErrors = new Float64Array(n);
  const squaredErrors = new Float64Array(n);
  const percentageErrors = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const absoluteError = Math.abs(predictions[i] - targets[i]);
    absoluteErrors[i] = absoluteError;
    squaredErrors[i] = absoluteError * absoluteError;
    percentageErrors[i] = absoluteError / Math.max(Math.abs(targets[i]), MAPE_EPSILON);
  }
  const absoluteSummary = summarizeSample(absoluteErrors);
  const squaredSummary = summarizeSample(squaredErrors);
  const percentageSummary = summarizeSample(percentageErrors);
  return {
    mae: computableMetric(absoluteSummary.mean, n, {
      kind: "row_mean",
      summary: absoluteSummary,
      transform: "identity",
    }),
    rmse: computableMetric(Math.sqrt(squaredSummary.mean), n, {
      kind: "row_mean",
      summary: squaredSummary,
      transform: "sqrt",
    }),
    mape: computableMetric(percentageSummary.mean, n, {
      kind: "row_mean",
      summary: percentageSummary,
      transform: "identity",
    }),
  };
}
