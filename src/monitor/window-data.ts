// What ClickHouse returns about one row source (a window or a reference): row counts (and whether
// the rows need per-event deduplication), numeric values per feature (exact path) and category
// counts; and how far a model's labels have arrived. The binned path's per-bin counts are in
// server-histograms.ts.
import { tableRef, type SqlEngine, RowBinaryReader, sql } from "../store/index.js";
import type { RowSource } from "./row-source.js";

export async function countRows(engine: SqlEngine, source: RowSource): Promise<number> {
  const rows = await engine.query<{ n: number }>(sql`SELECT count() AS n FROM ${source.subquery}`);
  return Number(rows[0]?.n ?? 0);
}

/** What the census found when no event of a predictions source is stored twice. */
export interface SourceCensus {
  readonly rows: number;
  /** XOR of the events' cityHash64(event_id), as ClickHouse prints a UInt64. */
  readonly ids: string;
}

/**
 * The source to read and its row count. Deduplicating a predictions source (one row per event)
 * costs a hash pass over the event ids in every query that reads it, while resent events are
 * rare (the ingester drops most, merges collapse the rest): one cheap census decides, and when no
 * event is stored twice the later queries read the rows as they are (and `census` says which
 * events they are).
 */
export async function settleSource(
  engine: SqlEngine,
  source: RowSource,
): Promise<{ source: RowSource; rows: number; census?: SourceCensus }> {
  if (source.undeduplicated !== undefined) {
    const [census] = await engine.query<{ n: number; distinct_events: number; ids: string }>(
      source.undeduplicated.census,
    );
    const rows = Number(census?.n ?? 0);
    if (rows === Number(census?.distinct_events ?? -1)) {
      return {
        source: source.undeduplicated.source,
        rows,
        census: { rows, ids: String(census?.ids ?? "") },
      };
    }
  }
  return { source, rows: await countRows(engine, source) };
}

/** Non-missing numeric values per feature (every feature sent as a number). */
export async function numericValues(
  engine: SqlEngine,
  source: RowSource,
): Promise<Map<string, Float64Array>> {
  // RowBinary: a million values travel as 8 bytes each, not ~20 characters of JSON to parse.
  const reply = await engine.queryRowBinary(
    sql`SELECT name, groupArray(value) AS values FROM ${source.subquery}
  ARRAY JOIN num_names AS name, num_values AS value GROUP BY name`,
  );
  const result = new Map<string, Float64Array>();
  for (const reader = new RowBinaryReader(reply); !reader.done;) {
    const name = reader.string();
    result.set(name, reader.float64Array());
  }
  return result;
}

/**
 * How many labels of the model are stored and the second (epoch s) the latest was ingested in
 * (0 without labels): a cheap read that changes whenever a label arrives (or expires).
 */
export async function labelArrivals(
  engine: SqlEngine,
  database: string,
  model: string,
): Promise<{ count: number; latest: number }> {
  const [row] = await engine.query<{ n: number; latest: number }>(
    sql`SELECT count() AS n, toUInt32(max(ingested_at)) AS latest
  FROM ${tableRef(database, "labels")} WHERE model = ${model}`,
  );
  return { count: Number(row?.n ?? 0), latest: Number(row?.latest ?? 0) };
}

/**
 * Category counts per feature: strings and booleans (unless `text` is false), plus the numbers of
 * `numericAsCategory` features (declared categorical but sent as numbers) as ClickHouse prints
 * them.
 */
export async function categoryCounts(
  engine: SqlEngine,
  source: RowSource,
  numericAsCategory: readonly string[] = [],
  options: { readonly text?: boolean } = {},
): Promise<Map<string, Map<string, number>>> {
  const result = new Map<string, Map<string, number>>();
  const add = (rows: { name: string; value: string; n: number }[]) => {
    for (const row of rows) {
      let counts = result.get(row.name);
      if (counts === undefined) result.set(row.name, (counts = new Map()));
      counts.set(row.value, (counts.get(row.value) ?? 0) + Number(row.n));
    }
  };
  if (options.text !== false) {
    add(
      await engine.query(sql`SELECT name, value, count() AS n FROM ${source.subquery}
  ARRAY JOIN cat_names AS name, cat_values AS value GROUP BY name, value`),
    );
  }
  if (numericAsCategory.length > 0) {
    add(
      await engine.query(sql`SELECT name, toString(number_value) AS value, count() AS n
  FROM ${source.subquery} ARRAY JOIN num_names AS name, num_values AS number_value
  WHERE has(${numericAsCategory}, name) GROUP BY name, value`),
    );
  }
  return result;
}
