// All of DESIGN's numeric-column figures for one reference/current pair of in-memory samples:
// sorts both samples in place once (radix sort), bins them at the reference deciles (PSI, JS),
// and gets the KS statistic and Wasserstein distance from one merged walk of the sorted arrays.
import { binCountsSorted, referenceBinEdges } from "./binning/quantile-bins.js";
import { jensenShannonDistance } from "./jensen-shannon.js";
import { ksTestFromStatistic } from "./ks/ks-test.js";
import { walkEcdfs } from "./ecdf-walk.js";
import { sortFloat64 } from "./math/radix-sort.js";
import { populationStabilityIndex } from "./psi.js";
import type { NumericDrift } from "./types.js";
import { normedWasserstein, populationStandardDeviation } from "./wasserstein.js";

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
  const { ksStatistic, wasserstein } = walkEcdfs(reference, current);
  const ks = ksTestFromStatistic(ksStatistic, reference.length, current.length);
  return {
    psi: populationStabilityIndex(referenceCounts, currentCounts),
    js: jensenShannonDistance(referenceCounts, currentCounts),
    ks: { statistic: ks.statistic, p_value: ks.p_value },
    wasserstein,
    wasserstein_normed: normedWasserstein(wasserstein, populationStandardDeviation(reference)),
  };
}

/** Sorts ascending in place and rejects empty samples, NaN and ±Infinity (checked at the ends after the sort). */
export function sortFiniteSample(name: string, sample: Float64Array): void {
  if (sample.length === 0) throw new RangeError(`${name} sample is empty (no non-missing values)`);
  sortFloat64(sample); // numeric order; NaNs end up at one end
  const first = sample[0]!;
  const last = sample[sample.length - 1]!;
  if (!Number.isFinite(first) || !Number.isFinite(last)) {
    const bad = Number.isNaN(last) ? "NaN" : !Number.isFinite(first) ? first : last;
    throw new RangeError(`${name} sample contains ${bad}; only finite numbers can be compared`);
  }
}
