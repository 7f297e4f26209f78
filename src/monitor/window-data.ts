// What ClickHouse returns about one row source (a window or a reference): row counts, numeric
// values per feature (exact path), category counts, and per-bin counts at given edges computed
// server-side (binned path) — the only queries that touch feature data.
import type { SqlEngine } from "../store/engine.js";
import { join, raw, sql, type SqlFragment } from "../store/sql.js";
import type { RowSource } from "./row-source.js";

export async function countRows(engine: SqlEngine, source: RowSource): Promise<number> {
  const rows = await engine.query<{ n: number }>(sql`SELECT count() AS n FROM ${source.subquery}`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * The source to read and its row count. Deduplicating a predictions source (one row per event)
 * costs a hash pass over the event ids in every query that reads it, while resent events are
 * rare (the ingester drops most, merges collapse the rest): one cheap census decides, and when no
 * event is stored twice the later queries read the rows as they are.
 */
export async function settleSource(
  engine: SqlEngine,
  source: RowSource,
): Promise<{ source: RowSource; rows: number }> {
  if (source.undeduplicated !== undefined) {
    const [census] = await engine.query<{ n: number; distinct_events: number }>(
      source.undeduplicated.census,
    );
    const rows = Number(census?.n ?? 0);
    if (rows === Number(census?.distinct_events ?? -1)) {
      return { source: source.undeduplicated.source, rows };
    }
  }
  return { source, rows: await countRows(engine, source) };
}

/** Non-missing numeric values per feature (every feature sent as a number). */
export async function numericValues(
  engine: SqlEngine,
  source: RowSource,
): Promise<Map<string, Float64Array>> {
  const rows = await engine.query<{ name: string; values: number[] }>(
    sql`SELECT name, groupArray(value) AS values FROM ${source.subquery}
  ARRAY JOIN num_names AS name, num_values AS value GROUP BY name`,
  );
  return new Map(rows.map((row) => [row.name, Float64Array.from(row.values)]));
}

/** How many rows carry each numeric feature (no values pulled). */
export async function numericPresence(
  engine: SqlEngine,
  source: RowSource,
): Promise<Map<string, number>> {
  const rows = await engine.query<{ name: string; n: number }>(
    sql`SELECT name, count() AS n FROM ${source.subquery} ARRAY JOIN num_names AS name GROUP BY name`,
  );
  return new Map(rows.map((row) => [row.name, Number(row.n)]));
}

/**
 * Category counts per feature: strings and booleans, plus the numbers of `numericAsCategory`
 * features (declared categorical but sent as numbers) as ClickHouse prints them.
 */
export async function categoryCounts(
  engine: SqlEngine,
  source: RowSource,
  numericAsCategory: readonly string[] = [],
): Promise<Map<string, Map<string, number>>> {
  const result = new Map<string, Map<string, number>>();
  const add = (rows: { name: string; value: string; n: number }[]) => {
    for (const row of rows) {
      let counts = result.get(row.name);
      if (counts === undefined) result.set(row.name, (counts = new Map()));
      counts.set(row.value, (counts.get(row.value) ?? 0) + Number(row.n));
    }
  };
  add(
    await engine.query(sql`SELECT name, value, count() AS n FROM ${source.subquery}
  ARRAY JOIN cat_names AS name, cat_values AS value GROUP BY name, value`),
  );
  if (numericAsCategory.length > 0) {
    add(
      await engine.query(sql`SELECT name, toString(number_value) AS value, count() AS n
  FROM ${source.subquery} ARRAY JOIN num_names AS name, num_values AS number_value
  WHERE has(${numericAsCategory}, name) GROUP BY name, value`),
    );
  }
  return result;
}

export interface ServerHistogram {
  /** Rows per bin, bin b = number of edges strictly below the value (edges.length + 1 bins). */
  readonly counts: Float64Array;
  readonly n: number;
  readonly min: number;
  readonly max: number;
  /** Values below `range.min` or above `range.max` (outside the reference's range). */
  readonly outsideRange: number;
}

/** Features per histogram query: keeps the SQL text well under max_query_size (256 KiB). */
const HISTOGRAM_FEATURES_PER_QUERY = 32;
/** Fine edges per block of the two-level bin search. */
const BLOCK = 10;

export interface HistogramRequest {
  readonly feature: string;
  readonly edges: ArrayLike<number>;
  readonly range: { readonly min: number; readonly max: number };
}

/**
 * Per-bin counts of many numeric features (bin b = number of edges strictly below the value),
 * computed by ClickHouse in one scan per group of features, with each bin's min, max and count
 * outside the reference's range. Rows are spread into (feature, value) pairs with ARRAY JOIN
 * and the feature name becomes its index k with one `transform` (a hash lookup). 18.16 has no
 * binary search over an array, and E comparisons per value are costly, so the bin is found in
 * two levels, every edge fetched by `transform` on an integer key (cheaper in 18.16 than
 * indexing a constant array by a column): the block c = number of every-BLOCK-th edges below v,
 * then the BLOCK−1 edges inside that block. Exact: the block edges are fine edges, so all fine
 * edges up to e(c·BLOCK) are below v and none from e((c+1)·BLOCK) on.
 */
export async function numericHistograms(
  engine: SqlEngine,
  source: RowSource,
  requests: readonly HistogramRequest[],
): Promise<Map<string, ServerHistogram>> {
  const result = new Map<string, ServerHistogram>();
  for (let start = 0; start < requests.length; start += HISTOGRAM_FEATURES_PER_QUERY) {
    const group = requests.slice(start, start + HISTOGRAM_FEATURES_PER_QUERY);
    const rows = await engine.query<{
      k: number;
      bin: number;
      n: number;
      lo: number;
      hi: number;
      outside: number;
    }>(histogramQuery(source, group));
    for (const row of rows) {
      const request = group[Number(row.k)]!;
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

function histogramQuery(source: RowSource, group: readonly HistogramRequest[]): SqlFragment {
  const features = group.map((request) => Array.from(request.edges));
  const blocks = Math.max(...features.map((edges) => Math.floor(edges.length / BLOCK)));
  const stride = blocks + 1;
  const indices = unsigned(group.map((_, k) => k));
  const byFeature = (value: (edges: number[], k: number) => number) => floats(features.map(value));
  const edgeAt = (edges: number[], index: number) =>
    index < edges.length ? edges[index]! : Infinity;
  const blockTerms: SqlFragment[] = [];
  for (let b = 1; b <= blocks; b++) {
    const edges = byFeature((edges) => edgeAt(edges, b * BLOCK - 1));
    blockTerms.push(sql`(v > transform(k, ${indices}, ${edges}, inf))`);
  }
  const innerKeys: number[] = [];
  for (let k = 0; k < group.length; k++) {
    for (let c = 0; c < stride; c++) innerKeys.push(k * stride + c);
  }
  const innerTerms: SqlFragment[] = [];
  for (let j = 1; j < BLOCK; j++) {
    const edges: number[] = [];
    for (const featureEdges of features) {
      for (let c = 0; c < stride; c++) edges.push(edgeAt(featureEdges, c * BLOCK + j - 1));
    }
    innerTerms.push(sql`(v > transform(kc, ${unsigned(innerKeys)}, ${floats(edges)}, inf))`);
  }
  const names = group.map((request) => request.feature);
  const mins = floats(group.map((request) => request.range.min));
  const maxs = floats(group.map((request) => request.range.max));
  const block = blockTerms.length === 0 ? raw("0") : join(blockTerms, " + ");
  return sql`SELECT k, bin, count() AS n, min(v) AS lo, max(v) AS hi,
  countIf(v < transform(k, ${indices}, ${mins}, -inf) OR v > transform(k, ${indices}, ${maxs}, inf)) AS outside
FROM (SELECT k, v, toUInt32(k * ${stride} + c) AS kc, toUInt32(c * ${BLOCK} + ${join(innerTerms, " + ")}) AS bin
  FROM (SELECT k, v, toUInt32(${block}) AS c
    FROM (SELECT transform(name, ${names}, ${indices}, toUInt32(${ABSENT})) AS k, v
      FROM (SELECT num_names, num_values FROM ${source.subquery})
      ARRAY JOIN num_names AS name, num_values AS v)
    WHERE k != ${ABSENT}))
GROUP BY k, bin`;
}

/** Feature index of a name not asked for. */
const ABSENT = 4294967295;

/** A UInt32 array literal (lookup keys: 18.16's transform finds only 0 among Float64 keys). */
function unsigned(values: readonly number[]): SqlFragment {
  return sql`CAST(${values} AS Array(UInt32))`;
}

/** A Float64 array literal (typed, so integer-valued arrays do not become UInt8 arrays). */
function floats(values: readonly number[]): SqlFragment {
  return sql`CAST(${values} AS Array(Float64))`;
}

type MutableHistogram = { -readonly [Key in keyof ServerHistogram]: ServerHistogram[Key] };
