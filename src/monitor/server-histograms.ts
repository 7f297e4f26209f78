// The binned path's one heavy query: per-bin counts of many numeric features at the reference's
// fine edges (bin b = number of edges strictly below the value, numpy searchsorted left),
// computed by ClickHouse, exactly, with each feature's min, max and count outside the
// reference's range, in one scan per group of features.
//
// 18.16 has no binary search over an array and E comparisons per value are costly, so a value
// finds its bin in two levels, every lookup a `transform` on an integer key (a hash lookup,
// cheaper in 18.16 than indexing a constant array by a column):
//   1. a cell: on a uniform grid over the feature's edges, cell = clamp(⌊(v − origin)·scale⌋);
//      for features whose edges crowd too many into one cell (heavy tails), the block search
//      instead: cell = number of every-BLOCK-th edges below v;
//   2. bin = edges wholly below the cell + comparisons with the few candidate edges inside it.
// Each grid cell's candidates reach a little beyond the cell on both sides (SLACK), so rounding
// in ClickHouse's cell arithmetic can never put a value in a cell whose counts are wrong for it.
import type { SqlEngine } from "../store/engine.js";
import { join, sql, type SqlFragment } from "../store/sql.js";
import type { RowSource } from "./row-source.js";

export interface ServerHistogram {
  /** Rows per bin, bin b = number of edges strictly below the value (edges.length + 1 bins). */
  readonly counts: Float64Array;
  readonly n: number;
  readonly min: number;
  readonly max: number;
  /** Values below `range.min` or above `range.max` (outside the reference's range). */
  readonly outsideRange: number;
}

export interface HistogramRequest {
  readonly feature: string;
  /** Sorted ascending. */
  readonly edges: ArrayLike<number>;
  readonly range: { readonly min: number; readonly max: number };
}

/** Grid cells tried per feature: from MIN_CELLS, doubling while a cell holds > 2 candidates. */
const MIN_CELLS = 16;
const MAX_CELLS = 1024;
/** A feature whose densest cell still holds more candidates takes the block search. */
const MAX_GRID_CANDIDATES = 4;
/** Fine edges per block of the block search. */
const BLOCK = 10;
/** Relative reach of a grid cell's candidates beyond its bounds (rounding is ~1e-16). */
const SLACK = 1e-9;
/** SQL text per query, estimated: well under the server's max_query_size (256 KiB). */
const QUERY_TEXT_BUDGET = 160_000;
/** Feature index of a name not asked for. */
const ABSENT = 4294967295;

/** How one feature's values find their bin (see the header). */
interface BinPlan {
  readonly request: HistogramRequest;
  readonly search: "grid" | "blocks";
  /** grid: cell = clamp(⌊(v − origin)·scale⌋, 0, cells.length − 1). */
  readonly origin: number;
  readonly scale: number;
  /** blocks: cell = number of these edges below v. */
  readonly blockEdges: readonly number[];
  /** Per cell: edges wholly below it, and the candidate edges to compare v with. */
  readonly cells: readonly { readonly base: number; readonly candidates: readonly number[] }[];
}

export async function numericHistograms(
  engine: SqlEngine,
  source: RowSource,
  requests: readonly HistogramRequest[],
): Promise<Map<string, ServerHistogram>> {
  const result = new Map<string, ServerHistogram>();
  for (const group of queryGroups(requests.map(planBins))) {
    const rows = await engine.query<{
      k: number;
      bin: number;
      n: number;
      lo: number;
      hi: number;
      outside: number;
    }>(histogramQuery(source, group));
    for (const row of rows) {
      const request = group[Number(row.k)]!.request;
      let histogram = result.get(request.feature) as MutableHistogram | undefined;
      if (histogram === undefined) {
        histogram = {
          counts: new Float64Array(request.edges.length + 1),
          n: 0,
          min: Infinity,
          max: -Infinity,
          outsideRange: 0,
        };
        result.set(request.feature, histogram);
      }
      const count = Number(row.n);
      histogram.counts[Number(row.bin)] = count;
      histogram.n += count;
      histogram.min = Math.min(histogram.min, Number(row.lo));
      histogram.max = Math.max(histogram.max, Number(row.hi));
      histogram.outsideRange += Number(row.outside);
    }
  }
  return result;
}

/** Which search a feature's values take: "grid", or "blocks" for edges crowding the grid. */
export function binSearch(request: HistogramRequest): BinPlan["search"] {
  return planBins(request).search;
}

type MutableHistogram = { -readonly [Key in keyof ServerHistogram]: ServerHistogram[Key] };

// ---- planning ------------------------------------------------------------------------------

function planBins(request: HistogramRequest): BinPlan {
  const edges = Array.from(request.edges);
  return planGrid(request, edges) ?? planBlocks(request, edges);
}

function planGrid(request: HistogramRequest, edges: number[]): BinPlan | undefined {
  const none = { request, search: "grid" as const, blockEdges: [] };
  if (edges.length === 0)
    return { ...none, origin: 0, scale: 0, cells: [{ base: 0, candidates: [] }] };
  const lo = edges[0]!;
  const hi = edges[edges.length - 1]!;
  if (!(hi > lo)) {
    if (edges.length > MAX_GRID_CANDIDATES) return undefined;
    return { ...none, origin: lo, scale: 0, cells: [{ base: 0, candidates: edges }] };
  }
  let best: BinPlan | undefined;
  for (let count = MIN_CELLS; count <= MAX_CELLS; count *= 2) {
    const width = (hi - lo) / count;
    const slack = SLACK * (Math.max(Math.abs(lo), Math.abs(hi)) + width);
    const cells = [];
    let crowded = 0;
    for (let cell = 0; cell < count; cell++) {
      const start = cell === 0 ? -Infinity : lo + cell * width - slack;
      const end = cell === count - 1 ? Infinity : lo + (cell + 1) * width + slack;
      const base = firstAtLeast(edges, start);
      const candidates = edges.slice(base, firstAbove(edges, end));
      crowded = Math.max(crowded, candidates.length);
      cells.push({ base, candidates });
    }
    best = { ...none, origin: lo, scale: count / (hi - lo), cells };
    if (crowded <= 2) return best;
    if (count * 2 > MAX_CELLS) return crowded <= MAX_GRID_CANDIDATES ? best : undefined;
  }
  return best;
}

function planBlocks(request: HistogramRequest, edges: number[]): BinPlan {
  const blocks = Math.floor(edges.length / BLOCK);
  const blockEdges: number[] = [];
  for (let block = 1; block <= blocks; block++) blockEdges.push(edges[block * BLOCK - 1]!);
  const cells = [];
  for (let cell = 0; cell <= blocks; cell++) {
    cells.push({
      base: cell * BLOCK,
      candidates: edges.slice(cell * BLOCK, cell * BLOCK + BLOCK - 1),
    });
  }
  return { request, search: "blocks", origin: 0, scale: 0, blockEdges, cells };
}

/** Index of the first edge ≥ value (edges sorted). */
function firstAtLeast(edges: readonly number[], value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the first edge > value (edges sorted). */
function firstAbove(edges: readonly number[], value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Plans grouped by search and by the SQL text they need (estimated). */
function queryGroups(plans: readonly BinPlan[]): BinPlan[][] {
  const groups: BinPlan[][] = [];
  for (const search of ["grid", "blocks"] as const) {
    let group: BinPlan[] = [];
    let size = 0;
    for (const plan of plans.filter((candidate) => candidate.search === search)) {
      const planSize = estimatedText(plan);
      if (group.length > 0 && size + planSize > QUERY_TEXT_BUDGET) {
        groups.push(group);
        group = [];
        size = 0;
      }
      group.push(plan);
      size += planSize;
    }
    if (group.length > 0) groups.push(group);
  }
  return groups;
}

function estimatedText(plan: BinPlan): number {
  const candidates = cellsCrowding(plan);
  // Per cell: its key and base, and one slot per candidate array ("inf" when empty); per edge
  // one float literal; per feature its name and the block edges.
  return plan.cells.length * (14 + 5 * candidates) + 24 * plan.request.edges.length + 400;
}

// ---- SQL -----------------------------------------------------------------------------------

function histogramQuery(source: RowSource, group: readonly BinPlan[]): SqlFragment {
  const search = group[0]!.search;
  const stride = Math.max(...group.map((plan) => plan.cells.length));
  const candidates = Math.max(...group.map((plan) => cellsCrowding(plan)));
  const indices = unsigned(group.map((_, k) => k));
  const perFeature = (value: (plan: BinPlan) => number) => floats(group.map(value));
  const keys: number[] = [];
  const bases: number[] = [];
  const candidateArrays: number[][] = Array.from({ length: candidates }, () => []);
  group.forEach((plan, k) => {
    plan.cells.forEach((cell, index) => {
      keys.push(k * stride + index);
      bases.push(cell.base);
      for (let t = 0; t < candidates; t++) candidateArrays[t]!.push(cell.candidates[t] ?? Infinity);
    });
  });
  let cell: SqlFragment;
  if (search === "grid") {
    const origin = sql`transform(k, ${indices}, ${perFeature((plan) => plan.origin)}, 0.)`;
    const scale = sql`transform(k, ${indices}, ${perFeature((plan) => plan.scale)}, 0.)`;
    const last = sql`transform(k, ${indices}, ${perFeature((plan) => plan.cells.length - 1)}, 0.)`;
    cell = sql`least(greatest(floor((v - ${origin}) * ${scale}), 0), ${last})`;
  } else {
    const blocks = Math.max(...group.map((plan) => plan.blockEdges.length));
    const terms: SqlFragment[] = [];
    for (let b = 0; b < blocks; b++) {
      const edges = perFeature((plan) => plan.blockEdges[b] ?? Infinity);
      terms.push(sql`(v > transform(k, ${indices}, ${edges}, inf))`);
    }
    cell = terms.length === 0 ? sql`0` : join(terms, " + ");
  }
  const keyArray = unsigned(keys);
  const comparisons = candidateArrays.map(
    (edges) => sql`(v > transform(key, ${keyArray}, ${floats(edges)}, inf))`,
  );
  const bin = join(
    [sql`transform(key, ${keyArray}, ${unsigned(bases)}, toUInt32(0))`, ...comparisons],
    " + ",
  );
  const names = group.map((plan) => plan.request.feature);
  const mins = perFeature((plan) => plan.request.range.min);
  const maxs = perFeature((plan) => plan.request.range.max);
  return sql`SELECT k, bin, count() AS n, min(v) AS lo, max(v) AS hi,
  countIf(v < transform(k, ${indices}, ${mins}, -inf) OR v > transform(k, ${indices}, ${maxs}, inf)) AS outside
FROM (SELECT k, v, toUInt32(${bin}) AS bin
  FROM (SELECT k, v, toUInt32(k * ${stride} + ${cell}) AS key
    FROM (SELECT transform(name, ${names}, ${indices}, toUInt32(${ABSENT})) AS k, v
      FROM (SELECT num_names, num_values FROM ${source.subquery})
      ARRAY JOIN num_names AS name, num_values AS v)
    WHERE k != ${ABSENT}))
GROUP BY k, bin`;
}

function cellsCrowding(plan: BinPlan): number {
  return Math.max(...plan.cells.map((cell) => cell.candidates.length));
}

/** A UInt32 array literal (lookup keys: 18.16's transform finds only 0 among Float64 keys). */
function unsigned(values: readonly number[]): SqlFragment {
  return sql`CAST(${values} AS Array(UInt32))`;
}

/** A Float64 array literal (typed, so integer-valued arrays do not become UInt8 arrays). */
function floats(values: readonly number[]): SqlFragment {
  return sql`CAST(${values} AS Array(Float64))`;
}
