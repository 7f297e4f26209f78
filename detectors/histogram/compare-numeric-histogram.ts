// DESIGN's numeric-column figures from the histogram form (fine reference-quantile bins counted
// server-side) instead of raw samples. PSI and JS are exact: the decile bins are unions of fine
// bins. KS and Wasserstein carry the bounds proven in ks-histogram.ts and
// wasserstein-histogram.ts. The result is a NumericDrift, so the drift rules apply unchanged.
import { jensenShannonDistance } from "../jensen-shannon.js";
import { populationStabilityIndex } from "../psi.js";
import type { NumericDrift } from "../types.js";
import { normedWasserstein } from "../wasserstein.js";
import { ksFromHistogram, type HistogramKsResult } from "./ks-histogram.js";
import { coarsenCounts, validateHistogram, type NumericHistogram } from "./numeric-histogram.js";
import { wassersteinFromHistogram, type ValueRange } from "./wasserstein-histogram.js";

export interface NumericHistogramInput extends NumericHistogram {
  /** The reference's decile edges (referenceBinEdges); each must be one of `edges`. */
  decileEdges: ArrayLike<number>;
  /** Smallest and largest value over both windows. */
  range: ValueRange;
  /** Population standard deviation (ddof 0) of the reference, for wasserstein_normed. */
  referenceStd: number;
}

export interface Bounds {
  lower: number;
  upper: number;
}

/** NumericDrift (KS from the edge statistic, Wasserstein the interpolated estimate) plus bounds. */
export interface NumericHistogramDrift extends NumericDrift {
  ks: HistogramKsResult;
  wasserstein_bounds: Bounds;
  wasserstein_normed_bounds: Bounds;
}

export function compareNumericHistogram(input: NumericHistogramInput): NumericHistogramDrift {
  validateHistogram(input);
  if (!(input.referenceStd >= 0) || !Number.isFinite(input.referenceStd)) {
    throw new RangeError(`referenceStd must be a finite number ≥ 0, got ${input.referenceStd}`);
  }
  const referenceDeciles = coarsenCounts(input.edges, input.referenceCounts, input.decileEdges);
  const currentDeciles = coarsenCounts(input.edges, input.currentCounts, input.decileEdges);
  const wasserstein = wassersteinFromHistogram(input, input.range);
  const normed = (value: number) => normedWasserstein(value, input.referenceStd);
  return {
    psi: populationStabilityIndex(referenceDeciles, currentDeciles),
    js: jensenShannonDistance(referenceDeciles, currentDeciles),
    ks: ksFromHistogram(input),
    wasserstein: wasserstein.estimate,
    wasserstein_normed: normed(wasserstein.estimate),
    wasserstein_bounds: { lower: wasserstein.lower_bound, upper: wasserstein.upper_bound },
    wasserstein_normed_bounds: {
      lower: normed(wasserstein.lower_bound),
      upper: normed(wasserstein.upper_bound),
    },
  };
}
