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

export interface HistogramRequest {
  readonly feature: string;
  readonly edges: ArrayLike<number>;
  readonly range: { readonly min: number; readonly max: number };
}

/**
 * Per-bin counts (bin b = number of edges strictly below the value, computed as (v > e1) +
 * (v > e2) + …, cheaper than arrayCount on 18.16) of many features in one scan per group of
 * features: per feature a
 * `sumMapIf([bin], [1], present)` plus min/max/out-of-range, so the window (and its dedup) is
 * read once per group rather than once per feature.
 */
export async function numericHistograms(
  engine: SqlEngine,
  source: RowSource,
  requests: readonly HistogramRequest[],
): Promise<Map<string, ServerHistogram>> {
  const result = new Map<string, ServerHistogram>();
  for (let start = 0; start < requests.length; start += HISTOGRAM_FEATURES_PER_QUERY) {
    const group = requests.slice(start, start + HISTOGRAM_FEATURES_PER_QUERY);
    const columns: SqlFragment[] = [];
    const aggregates: SqlFragment[] = [];
    const outer: SqlFragment[] = [];
    group.forEach((request, index) => {
      const v = raw(`v${index}`);
      const has = raw(`has${index}`);
      columns.push(
        sql`has(num_names, ${request.feature}) AS ${has}`,
        sql`num_values[indexOf(num_names, ${request.feature})] AS ${v}`,
      );
      const terms: SqlFragment[] = [];
      for (let i = 0; i < request.edges.length; i++) terms.push(sql`(${v} > ${request.edges[i]!})`);
      const bin = terms.length === 0 ? raw("0") : join(terms, " + ");
      aggregates.push(
        sql`sumMapIf([toUInt32(${bin})], [toUInt64(1)], ${has}) AS ${raw(`h${index}`)}`,
        sql`minIf(${v}, ${has}) AS ${raw(`lo${index}`)}`,
        sql`maxIf(${v}, ${has}) AS ${raw(`hi${index}`)}`,
        sql`countIf(${has} AND (${v} < ${request.range.min} OR ${v} > ${request.range.max})) AS ${raw(`out${index}`)}`,
      );
      outer.push(
        raw(
          `h${index}.1 AS bins${index}, h${index}.2 AS counts${index}, lo${index}, hi${index}, out${index}`,
        ),
      );
    });
    const rows = await engine.query<Record<string, number | number[]>>(
      sql`SELECT ${join(outer)} FROM (SELECT ${join(aggregates)}
  FROM (SELECT ${join(columns)} FROM ${source.subquery}))`,
    );
    const row = rows[0];
    if (row === undefined) continue;
    group.forEach((request, index) => {
      const bins = row[`bins${index}`] as number[];
      const binCounts = row[`counts${index}`] as number[];
      if (bins.length === 0) return;
      const counts = new Float64Array(request.edges.length + 1);
      let n = 0;
      bins.forEach((bin, position) => {
        counts[Number(bin)] = Number(binCounts[position]);
        n += Number(binCounts[position]);
      });
      result.set(request.feature, {
        counts,
        n,
        min: Number(row[`lo${index}`]),
        max: Number(row[`hi${index}`]),
        outsideRange: Number(row[`out${index}`]),
      });
    });
  }
  return result;
}
