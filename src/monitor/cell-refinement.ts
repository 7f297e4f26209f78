// From cells to bins: a feature's values counted in narrow, non-overlapping cells (each with its
// count and the smallest and largest value in it) are re-counted in the bins of the reference's
// fine edges, for the binned path's comparison. A cell whose values all fall in one bin moves
// whole; a cell that straddles edges (its smallest value at or below an edge, its largest above)
// is split in proportion to how much of [min, max] each bin covers, as if its values were
// uniform there, in whole rows (largest remainders). Its count is how far any split could be off,
// so each straddled edge's count is reported and the caller decides whether the bins are close
// enough (stored-histograms.ts) or must be counted from the rows.
import { binIndex } from "../../detectors/index.js";

export interface Cells {
  /** Rows per cell; cells in any order. */
  readonly counts: ArrayLike<number>;
  readonly lo: ArrayLike<number>;
  readonly hi: ArrayLike<number>;
}

export interface RefinedHistogram {
  /** Rows per bin, bin b = number of edges strictly below the value (edges.length + 1 bins). */
  readonly counts: Float64Array;
  readonly n: number;
  readonly min: number;
  readonly max: number;
  /** Values below `range.min` or above `range.max`, split like the bins where a cell straddles. */
  readonly outsideRange: number;
  /** The largest count of a cell straddling one of the edges or range limits (0: all exact). */
  readonly straddle: number;
}

export function refineCells(
  cells: Cells,
  edges: ArrayLike<number>,
  range: { readonly min: number; readonly max: number },
): RefinedHistogram {
  const counts = new Float64Array(edges.length + 1);
  let n = 0;
  let min = Infinity;
  let max = -Infinity;
  let outsideRange = 0;
  let straddle = 0;
  for (let cell = 0; cell < cells.counts.length; cell++) {
    const count = cells.counts[cell]!;
    const lo = cells.lo[cell]!;
    const hi = cells.hi[cell]!;
    if (count === 0) continue;
    n += count;
    min = Math.min(min, lo);
    max = Math.max(max, hi);
    const below = binIndex(edges, lo);
    const above = binIndex(edges, hi);
    if (below === above) counts[below]! += count;
    else {
      straddle = Math.max(straddle, count);
      splitCell(counts, edges, { count, lo, hi, below, above });
    }
    // Outside the range: v < range.min, or v > range.max.
    const under = share(lo, hi, -Infinity, range.min, false);
    const over = share(lo, hi, range.max, Infinity, true);
    if (under === undefined || over === undefined) straddle = Math.max(straddle, count);
    outsideRange += Math.round(count * (under ?? split(lo, hi, -Infinity, range.min)));
    outsideRange += Math.round(count * (over ?? split(lo, hi, range.max, Infinity)));
  }
  return { counts, n, min, max, outsideRange, straddle };
}

/** Spread `count` over bins below…above, in proportion to their overlap with [lo, hi]. */
function splitCell(
  counts: Float64Array,
  edges: ArrayLike<number>,
  cell: { count: number; lo: number; hi: number; below: number; above: number },
): void {
  const { count, lo, hi, below, above } = cell;
  const width = hi - lo;
  const bins = above - below + 1;
  const exact = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    const b = below + k;
    const from = b === below ? lo : edges[b - 1]!;
    const to = b === above ? hi : edges[b]!;
    exact[k] = width > 0 && Number.isFinite(width) ? (count * (to - from)) / width : count / bins;
  }
  // Whole rows: floors, then the rows left over to the largest remainders (ties: lower bin).
  let given = 0;
  const whole = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    whole[k] = Math.floor(exact[k]!);
    given += whole[k]!;
  }
  const order = Array.from({ length: bins }, (_, k) => k).sort(
    (a, b) => exact[b]! - whole[b]! - (exact[a]! - whole[a]!) || a - b,
  );
  for (let left = count - given, k = 0; left > 0; left--, k++) whole[order[k % bins]!]! += 1;
  for (let k = 0; k < bins; k++) counts[below + k]! += whole[k]!;
}

/**
 * The share of a cell's values in (from, to] (`aboveFrom`) or [from, to) (otherwise) when [lo, hi]
 * lies wholly inside (1) or outside (0); undefined when it straddles a limit.
 */
function share(
  lo: number,
  hi: number,
  from: number,
  to: number,
  aboveFrom: boolean,
): number | undefined {
  const inside = (v: number) => (aboveFrom ? v > from && v <= to : v >= from && v < to);
  if (inside(lo) && inside(hi)) return 1;
  if (!inside(lo) && !inside(hi) && (hi <= from || lo >= to)) return 0;
  return undefined;
}

/** The share of [lo, hi] (lo < hi) inside [from, to], as if its values were uniform there. */
function split(lo: number, hi: number, from: number, to: number): number {
  const overlap = Math.min(hi, to) - Math.max(lo, from);
  return Math.min(1, Math.max(0, overlap / (hi - lo)));
}
