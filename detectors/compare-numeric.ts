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
 * A numeric reference sample sorted once, with what every comparison against it reuses: its
 * decile bin edges, its per-bin counts and its standard deviation (ddof 0). Comparing many
 * current samples (the chunks of `check`) against one prepared reference gives the same figures,
 * bit for bit, as compareNumeric on each pair, without sorting the reference again each time.
 */
export interface PreparedNumericReference {
  /** The reference values, ascending (the array given to prepareNumericReference, sorted in place). */
  readonly sorted: Float64Array;
  readonly edges: Float64Array;
  readonly counts: Float64Array;
  readonly standardDeviation: number;
}

/** Sorts `reference` in place once (rejecting empty samples, NaN, ±Infinity) and prepares it. */
export function prepareNumericReference(reference: Float64Array): PreparedNumericReference {
  sortFiniteSample("reference", reference);
  const edges = referenceBinEdges(reference);
  return {
    sorted: reference,
    edges,
    counts: binCountsSorted(reference, edges),
    standardDeviation: populationStandardDeviation(reference),
  };
}

/**
 * Compare a current sample (any order; sorted in place) with a prepared reference: the figures of
 * compareNumeric(reference, current), bit for bit.
 */
export function compareNumericPrepared(
  reference: PreparedNumericReference,
  current: Float64Array,
): NumericDrift {
  sortFiniteSample("current", current);
  const referenceCounts = reference.counts;
  const currentCounts = binCountsSorted(current, reference.edges);
  const { ksStatistic, wasserstein } = walkEcdfs(reference.sorted, current);
  const ks = ksTestFromStatistic(ksStatistic, reference.sorted.length, current.length);
  return {
    psi: populationStabilityIndex(referenceCounts, currentCounts),
    js: jensenShannonDistance(referenceCounts, currentCounts),
    ks: { statistic: ks.statistic, p_value: ks.p_value },
    wasserstein,
    wasserstein_normed: normedWasserstein(wasserstein, reference.standardDeviation),
  };
}

/**
 * Compare two numeric samples (missing values already removed; any order). Both arrays are
 * sorted in place. Both must be non-empty and hold finite numbers only.
 */
export function compareNumeric(reference: Float64Array, current: Float64Array): NumericDrift {
  return compareNumericPrepared(prepareNumericReference(reference), current);
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
