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
// Two cuts join the edges searched: the float just below the reference's min and its max, so the
// bin found also says whether the value lies outside the reference's range (no per-value range
// lookups); the feature's bins are recovered from it in JS.
import { binIndex } from "../../detectors/index.js";
import { type SqlEngine, join, sql, type SqlFragment } from "../store/index.js";
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
/** Group key = feature index · BIN_SPAN + searched bin (bins stay far below it). */
const BIN_SPAN = 65_536;

/** How one feature's values find their bin (see the header). */
interface BinPlan {
  readonly request: HistogramRequest;
  /** Last positions of the range cuts among the searched edges (see searchedEdges). */
  readonly lowCut: number;
  readonly highCut: number;
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
    const rows = await engine.query<{ kb: number; n: number; lo: number; hi: number }>(
      histogramQuery(source, group),
    );
    for (const row of rows) {
      const kb = Number(row.kb);
      const plan = group[Math.floor(kb / BIN_SPAN)]!;
      const request = plan.request;
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
      // searched = edges below v among the searched ones; the cuts below v say where v lies.
      const searched = kb % BIN_SPAN;
      const atLeastMin = searched > plan.lowCut;
      const aboveMax = searched > plan.highCut;
      const count = Number(row.n);
      histogram.counts[searched - Number(atLeastMin) - Number(aboveMax)]! += count;
      histogram.n += count;
      histogram.min = Math.min(histogram.min, Number(row.lo));
      histogram.max = Math.max(histogram.max, Number(row.hi));
      if (!atLeastMin || aboveMax) histogram.outsideRange += count;
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
  const { edges, lowCut, highCut } = searchedEdges(request);
  const plan = planGrid(request, edges) ?? planBlocks(request, edges);
  return { ...plan, lowCut, highCut };
}

/**
 * The request's edges plus two cuts, sorted: nextDown(min) (v is below the range exactly when
 * that cut is not below v) and max (v is above it exactly when max is below v).
 */
function searchedEdges(request: HistogramRequest): {
  edges: number[];
  lowCut: number;
  highCut: number;
} {
  const low = nextDown(Number.isNaN(request.range.min) ? -Infinity : request.range.min);
  const high = Number.isNaN(request.range.max) ? Infinity : request.range.max;
  const edges = [...Array.from(request.edges), low, high].sort((a, b) => a - b);
  return { edges, lowCut: edges.lastIndexOf(low), highCut: edges.lastIndexOf(high) };
}

/** The largest float below x (x itself for −∞). */
function nextDown(x: number): number {
  if (x === -Infinity) return x;
  if (x === 0) return -Number.MIN_VALUE;
  const bits = new Float64Array([x]);
  const integer = new BigInt64Array(bits.buffer);
  integer[0] = integer[0]! + (x > 0 ? -1n : 1n);
  return bits[0]!;
}

type SearchPlan = Omit<BinPlan, "lowCut" | "highCut">;

/**
 * A uniform grid over the request's own edges, with one more cell on each side for the values
 * below and above them (where the range cuts usually fall), so the cuts crowd no inner cell.
 * `edges` are all the searched edges (the request's and the cuts), sorted.
 */
function planGrid(request: HistogramRequest, edges: number[]): SearchPlan | undefined {
  const none = { request, search: "grid" as const, blockEdges: [] };
  const own = Array.from(request.edges);
  const lo = own[0] ?? 0;
  const hi = own[own.length - 1] ?? 0;
  if (!(hi > lo) || !Number.isFinite(hi - lo)) {
    // No spread to lay a grid on: one cell comparing every edge, when there are few.
    if (edges.length > MAX_GRID_CANDIDATES) return undefined;
    return { ...none, origin: 0, scale: 0, cells: [{ base: 0, candidates: edges }] };
  }
  let best: SearchPlan | undefined;
  for (let count = MIN_CELLS; count <= MAX_CELLS; count *= 2) {
    const width = (hi - lo) / count;
    const origin = lo - width;
    const total = count + 2;
    const slack = SLACK * (Math.max(Math.abs(origin), Math.abs(hi + width)) + width);
    const cells = [];
    let crowded = 0;
    for (let cell = 0; cell < total; cell++) {
      const start = cell === 0 ? -Infinity : origin + cell * width - slack;
      const end = cell === total - 1 ? Infinity : origin + (cell + 1) * width + slack;
      const base = binIndex(edges, start);
      const candidates = edges.slice(base, firstAbove(edges, end));
      crowded = Math.max(crowded, candidates.length);
      cells.push({ base, candidates });
    }
    best = { ...none, origin, scale: 1 / width, cells };
    if (crowded <= 2) return best;
    if (count * 2 > MAX_CELLS) return crowded <= MAX_GRID_CANDIDATES ? best : undefined;
  }
  return best;
}

function planBlocks(request: HistogramRequest, edges: number[]): SearchPlan {
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

/**
 * Plans grouped by search and by the SQL text they need (estimated): in order of cell count, so
 * the features of a query need similar grids (each is padded to the query's largest).
 */
function queryGroups(plans: readonly BinPlan[]): BinPlan[][] {
  const groups: BinPlan[][] = [];
  for (const search of ["grid", "blocks"] as const) {
    const ofSearch = plans
      .filter((candidate) => candidate.search === search)
      .sort((a, b) => a.cells.length - b.cells.length);
    let group: BinPlan[] = [];
    for (const plan of ofSearch) {
      if (group.length > 0 && estimatedText([...group, plan]) > QUERY_TEXT_BUDGET) {
        groups.push(group);
        group = [];
      }
      group.push(plan);
    }
    if (group.length > 0) groups.push(group);
  }
  return groups;
}

function estimatedText(group: readonly BinPlan[]): number {
  const stride = Math.max(...group.map((plan) => plan.cells.length));
  const candidates = Math.max(...group.map((plan) => cellsCrowding(plan)));
  // Per cell: its key and base, and one slot per candidate array ("inf" when empty); per edge
  // one float literal; per feature its name and the block edges.
  let size = 0;
  for (const plan of group) {
    size += stride * (14 + 5 * candidates) + 24 * plan.request.edges.length + 400;
  }
  return size;
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
  // Every feature gets `stride` cells, its last cell repeated: one constant clamp for all.
  group.forEach((plan, k) => {
    for (let index = 0; index < stride; index++) {
      const cell = plan.cells[Math.min(index, plan.cells.length - 1)]!;
      keys.push(k * stride + index);
      bases.push(cell.base);
      for (let t = 0; t < candidates; t++) candidateArrays[t]!.push(cell.candidates[t] ?? Infinity);
    }
  });
  let cell: SqlFragment;
  if (search === "grid") {
    const origin = sql`transform(k, ${indices}, ${perFeature((plan) => plan.origin)}, 0.)`;
    const scale = sql`transform(k, ${indices}, ${perFeature((plan) => plan.scale)}, 0.)`;
    cell = sql`least(greatest(floor((v - ${origin}) * ${scale}), 0), ${stride - 1})`;
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
  // One integer group key per (feature, bin): cheaper to group by than the pair.
  return sql`SELECT kb, count() AS n, min(v) AS lo, max(v) AS hi
FROM (SELECT v, toUInt32(k * ${BIN_SPAN} + ${bin}) AS kb
  FROM (SELECT k, v, toUInt32(k * ${stride} + ${cell}) AS key
    FROM (SELECT transform(name, ${names}, ${indices}, toUInt32(${ABSENT})) AS k, v
      FROM (SELECT num_names, num_values FROM ${source.subquery})
      ARRAY JOIN num_names AS name, num_values AS v)
    WHERE k != ${ABSENT}))
GROUP BY kb`;
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
