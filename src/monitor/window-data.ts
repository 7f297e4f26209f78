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
const HISTOGRAM_FEATURES_PER_QUERY = 16;
/** Fine edges per block of the two-level bin search. */
const BLOCK = 10;

export interface HistogramRequest {
  readonly feature: string;
  readonly edges: ArrayLike<number>;
  readonly range: { readonly min: number; readonly max: number };
}

/**
 * Per-bin counts of many numeric features (bin b = number of edges strictly below the value),
 * computed by ClickHouse in one scan per group of features. 18.16 has no binary search over an
 * array, and E comparisons per value are costly, so the bin is found in two levels: the block
 * c = number of every-BLOCK-th edges below v (≈ E/BLOCK comparisons), then the BLOCK−1 edges
 * inside that block read from the edge array at c·BLOCK + j (exact: the block edges are fine
 * edges, so all fine edges up to e(c·BLOCK) are below v and none from e((c+1)·BLOCK) on).
 * Rows are spread per feature with ARRAY JOIN and grouped by (feature, bin), with each group's
 * min, max and count outside the reference's range.
 */
export async function numericHistograms(
  engine: SqlEngine,
  source: RowSource,
  requests: readonly HistogramRequest[],
): Promise<Map<string, ServerHistogram>> {
  const result = new Map<string, ServerHistogram>();
  for (let start = 0; start < requests.length; start += HISTOGRAM_FEATURES_PER_QUERY) {
    const group = requests.slice(start, start + HISTOGRAM_FEATURES_PER_QUERY);
    const withs: SqlFragment[] = [];
    const columns: SqlFragment[] = [];
    const bins: SqlFragment[] = [];
    const present: SqlFragment[] = [];
    const values: SqlFragment[] = [];
    const outside: SqlFragment[] = [];
    group.forEach((request, index) => {
      const edges = Array.from(request.edges);
      const blocks = Math.floor(edges.length / BLOCK);
      const padded = [...edges];
      while (padded.length < (blocks + 1) * BLOCK) padded.push(Infinity);
      const edgeArray = raw(`E${index}`);
      const v = raw(`v${index}`);
      const c = raw(`c${index}`);
      const has = raw(`has${index}`);
      withs.push(sql`${padded} AS ${edgeArray}`);
      const blockTerms: SqlFragment[] = [];
      for (let k = 1; k <= blocks; k++) blockTerms.push(sql`(${v} > ${edges[k * BLOCK - 1]!})`);
      columns.push(
        sql`indexOf(num_names, ${request.feature}) AS ${raw(`i${index}`)}`,
        sql`${raw(`i${index}`)} > 0 AS ${has}`,
        sql`num_values[${raw(`i${index}`)}] AS ${v}`,
        sql`toUInt32(${blockTerms.length === 0 ? raw("0") : join(blockTerms, " + ")}) AS ${c}`,
      );
      const inner: SqlFragment[] = [];
      for (let j = 1; j < BLOCK; j++)
        inner.push(sql`(${v} > ${edgeArray}[${c} * ${BLOCK} + ${j}])`);
      bins.push(sql`toUInt32(${c} * ${BLOCK} + ${join(inner, " + ")})`);
      present.push(has);
      values.push(v);
      outside.push(sql`(${v} < ${request.range.min} OR ${v} > ${request.range.max})`);
    });
    const inner = sql`(SELECT ${join(columns)} FROM ${source.subquery})`;
    // Bins: an absent feature gets bin ABSENT_BIN (dropped below), so only two arrays are joined.
    const binsOrAbsent = bins.map(
      (bin, index) => sql`if(${present[index]!}, ${bin}, ${ABSENT_BIN})`,
    );
    const [binRows, rangeRows] = await Promise.all([
      engine.query<{ k: number; bin: number; n: number }>(sql`WITH ${join(withs)}
SELECT k, bin, count() AS n FROM ${inner}
ARRAY JOIN [${join(binsOrAbsent)}] AS bin, range(${group.length}) AS k
WHERE bin != ${ABSENT_BIN}
GROUP BY k, bin`),
      engine.query<Record<string, number>>(
        sql`SELECT ${join(
          group.map(
            (_, index) =>
              sql`minIf(${values[index]!}, ${present[index]!}) AS ${raw(`lo${index}`)}, maxIf(${values[index]!}, ${present[index]!}) AS ${raw(`hi${index}`)}, countIf(${present[index]!} AND ${outside[index]!}) AS ${raw(`out${index}`)}`,
          ),
        )} FROM ${inner}`,
      ),
    ]);
    const ranges = rangeRows[0] ?? {};
    for (const row of binRows) {
      const index = Number(row.k);
      const request = group[index]!;
      let histogram = result.get(request.feature) as MutableHistogram | undefined;
      if (histogram === undefined) {
        histogram = {
          counts: new Float64Array(request.edges.length + 1),
          n: 0,
          min: Number(ranges[`lo${index}`]),
          max: Number(ranges[`hi${index}`]),
          outsideRange: Number(ranges[`out${index}`]),
        };
        result.set(request.feature, histogram);
      }
      const count = Number(row.n);
      histogram.counts[Number(row.bin)] = count;
      histogram.n += count;
    }
  }
  return result;
}

/** Bin number standing for "feature absent in this row". */
const ABSENT_BIN = 4294967295;

type MutableHistogram = { -readonly [Key in keyof ServerHistogram]: ServerHistogram[Key] };
