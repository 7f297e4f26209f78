// The one entry point `check` and the service call: fit an estimator on a labelled reference of
// either task, then `estimator.estimate(chunk)` per chunk.

import type { Label } from "../labels.js";
import type { BinaryEstimator } from "./binary-estimator.js";
import { fitBinaryEstimator } from "./binary-estimator.js";
import type { EstimatorOptions } from "./estimator-options.js";
import type { BinaryData, MulticlassData } from "./inputs.js";
import type { MulticlassEstimator } from "./multiclass-estimator.js";
import { fitMulticlassEstimator } from "./multiclass-estimator.js";

export type BinaryReference = BinaryData & { task: "binary" };
export type MulticlassReference = MulticlassData & {
  task: "multiclass";
  classes: readonly Label[];
};
export type Estimator = BinaryEstimator | MulticlassEstimator;

export function fitEstimator(
  reference: BinaryReference,
  options?: EstimatorOptions,
): BinaryEstimator;
export function fitEstimator(
  reference: MulticlassReference,
  options?: EstimatorOptions,
): MulticlassEstimator;
export function fitEstimator(
  reference: BinaryReference | MulticlassReference,
  options: EstimatorOptions = {},
): Estimator {
  return reference.task === "multiclass"
    ? fitMulticlassEstimator(reference, options)
    : fitBinaryEstimator(reference, options);
}
