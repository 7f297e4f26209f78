// The reference vs current histograms the HTML report draws: numeric columns at the reference
// decile bins (the detectors' own binning, the one PSI and JS use), categorical columns per
// category (the most frequent ones, the rest lumped together).
import { binCountsSorted, referenceBinEdges } from "../../detectors/index.js";
import { formatFigure } from "./format-number.js";
import type { ColumnHistogram } from "./report.js";

const MAX_CATEGORIES_DRAWN = 30;

function formatEdge(value: number): string {
  return formatFigure(value);
}

function sortedCopyIfNeeded(values: Float64Array): Float64Array {
  for (let index = 1; index < values.length; index++) {
    if (values[index - 1] > values[index]) return values.slice().sort();
  }
  return values;
}

/** Counts at the reference decile bins (the detectors' PSI bins) of both samples. */
export function numericHistogram(reference: Float64Array, current: Float64Array): ColumnHistogram {
  const sortedReference = sortedCopyIfNeeded(reference);
  const edges = referenceBinEdges(sortedReference);
  const labels: string[] = [];
  for (let bin = 0; bin <= edges.length; bin++) {
    if (edges.length === 0) labels.push("all values");
    else if (bin === 0) labels.push(`≤ ${formatEdge(edges[0])}`);
    else if (bin === edges.length) labels.push(`> ${formatEdge(edges[bin - 1])}`);
    else labels.push(`${formatEdge(edges[bin - 1])} – ${formatEdge(edges[bin])}`);
  }
  return {
    labels,
    reference: [...binCountsSorted(sortedReference, edges)],
    current: [...binCountsSorted(sortedCopyIfNeeded(current), edges)],
  };
}

export function categoricalHistogram(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
  maxCategories = MAX_CATEGORIES_DRAWN,
): ColumnHistogram {
  const totals = new Map<string, number>();
  for (const [category, count] of reference) totals.set(category, count);
  for (const [category, count] of current)
    totals.set(category, (totals.get(category) ?? 0) + count);
  const categories = [...totals.keys()].sort(
    (a, b) => totals.get(b)! - totals.get(a)! || (a < b ? -1 : a > b ? 1 : 0),
  );
  const shown =
    categories.length > maxCategories ? categories.slice(0, maxCategories - 1) : categories;
  const labels = shown.map((category) => (category === "" ? '"" (empty string)' : category));
  const referenceCounts = shown.map((category) => reference.get(category) ?? 0);
  const currentCounts = shown.map((category) => current.get(category) ?? 0);
  if (shown.length < categories.length) {
    const rest = categories.slice(shown.length);
    labels.push(`${rest.length} other categories`);
    referenceCounts.push(rest.reduce((sum, category) => sum + (reference.get(category) ?? 0), 0));
    currentCounts.push(rest.reduce((sum, category) => sum + (current.get(category) ?? 0), 0));
  }
  return { labels, reference: referenceCounts, current: currentCounts };
}
