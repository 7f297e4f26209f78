// What ClickHouse returns about one row source (a window or a reference): row counts, numeric
// values per feature (exact path), category counts, and per-bin counts at given edges computed
// server-side (binned path) — the only queries that touch feature data.
import type { SqlEngine } from "../store/engine.js";
import { join, literal, raw, sql, type SqlFragment } from "../store/sql.js";
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

/**
 * One numeric feature's counts at `edges`, computed by ClickHouse as (v > e1) + (v > e2) + …
 * (cheaper than arrayCount on 18.16), with the window's min/max and out-of-range count.
 */
export async function numericHistogram(
  engine: SqlEngine,
  source: RowSource,
  feature: string,
  edges: ArrayLike<number>,
  referenceRange: { readonly min: number; readonly max: number },
): Promise<ServerHistogram | undefined> {
  const terms: SqlFragment[] = [];
  for (let i = 0; i < edges.length; i++) terms.push(sql`(v > ${edges[i]!})`);
  const binExpression = terms.length === 0 ? raw("0") : join(terms, " + ");
  const rows = await engine.query<{ bin: number; n: number; lo: number; hi: number; out: number }>(
    sql`SELECT ${binExpression} AS bin, count() AS n, min(v) AS lo, max(v) AS hi,
    countIf(v < ${referenceRange.min} OR v > ${referenceRange.max}) AS out
  FROM (SELECT num_values[indexOf(num_names, ${literal(feature)})] AS v FROM ${source.subquery}
    WHERE has(num_names, ${feature}))
  GROUP BY bin`,
  );
  if (rows.length === 0) return undefined;
  const counts = new Float64Array(edges.length + 1);
  let n = 0;
  let min = Infinity;
  let max = -Infinity;
  let outsideRange = 0;
  for (const row of rows) {
    counts[Number(row.bin)] = Number(row.n);
    n += Number(row.n);
    min = Math.min(min, Number(row.lo));
    max = Math.max(max, Number(row.hi));
    outsideRange += Number(row.out);
  }
  return { counts, n, min, max, outsideRange };
}
