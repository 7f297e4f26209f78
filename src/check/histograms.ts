// The reference vs current histograms the HTML report draws: numeric columns binned at the
// reference decile edges (a value's bin = number of edges strictly below it, as the PSI bins),
// categorical columns per category (the most frequent ones, the rest lumped together).
import type { ColumnHistogram } from "./report.js";

const MAX_CATEGORIES_DRAWN = 30;

/** Number of edges strictly below `value` (numpy.searchsorted(edges, value, side="left")). */
function binOf(edges: Float64Array, value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function formatEdge(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e15 ? String(value) : value.toPrecision(4);
}

export function numericHistogram(
  edges: Float64Array,
  reference: Float64Array,
  current: Float64Array,
): ColumnHistogram {
  const bins = edges.length + 1;
  const count = (values: Float64Array): number[] => {
    const counts = new Array<number>(bins).fill(0);
    for (let index = 0; index < values.length; index++) counts[binOf(edges, values[index])]++;
    return counts;
  };
  const labels: string[] = [];
  for (let bin = 0; bin < bins; bin++) {
    if (edges.length === 0) labels.push("all values");
    else if (bin === 0) labels.push(`≤ ${formatEdge(edges[0])}`);
    else if (bin === edges.length) labels.push(`> ${formatEdge(edges[bin - 1])}`);
    else labels.push(`${formatEdge(edges[bin - 1])} – ${formatEdge(edges[bin])}`);
  }
  return { labels, reference: count(reference), current: count(current) };
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
