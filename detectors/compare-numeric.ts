// All of DESIGN's numeric-column figures for one reference/current pair of in-memory samples:
// sorts both samples in place once, bins them at the reference deciles (PSI, JS), and runs KS
// and Wasserstein as merged passes over the sorted arrays.
import { binCountsSorted, referenceBinEdges } from "./binning/quantile-bins.js";
import { jensenShannonDistance } from "./jensen-shannon.js";
import { ksTestSorted } from "./ks/ks-test.js";
import { populationStabilityIndex } from "./psi.js";
import type { NumericDrift } from "./types.js";
import {
  normedWasserstein,
  populationStandardDeviation,
  wassersteinDistanceSorted,
} from "./wasserstein.js";

/**
 * Compare two numeric samples (missing values already removed; any order). Both arrays are
 * sorted in place. Both must be non-empty and hold finite numbers only.
 */
export function compareNumeric(reference: Float64Array, current: Float64Array): NumericDrift {
  sortFiniteSample("reference", reference);
  sortFiniteSample("current", current);
  const edges = referenceBinEdges(reference);
  const referenceCounts = binCountsSorted(reference, edges);
  const currentCounts = binCountsSorted(current, edges);
  const ks = ksTestSorted(reference, current);
  const wasserstein = wassersteinDistanceSorted(reference, current);
  return {
    psi: populationStabilityIndex(referenceCounts, currentCounts),
    js: jensenShannonDistance(referenceCounts, currentCounts),
    ks: { statistic: ks.statistic, p_value: ks.p_value },
    wasserstein,
    wasserstein_normed: normedWasserstein(wasserstein, populationStandardDeviation(reference)),
  };
}

/** Sorts ascending in place and rejects empty samples, NaN and ±Infinity (checked after the sort). */
export function sortFiniteSample(name: string, sample: Float64Array): void {
  if (sample.length === 0) throw new RangeError(`${name} sample is empty (no non-missing values)`);
  sample.sort(); // typed-array sort: numeric order, NaN last
  const first = sample[0]!;
  const last = sample[sample.length - 1]!;
  if (!Number.isFinite(first) || !Number.isFinite(last)) {
    const bad = Number.isNaN(last) ? "NaN" : !Number.isFinite(first) ? first : last;
    throw new RangeError(`${name} sample contains ${bad}; only finite numbers can be compared`);
  }
}
