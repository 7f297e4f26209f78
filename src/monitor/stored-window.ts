// A window's aggregates without scanning its rows: materialized views keep, per UTC hour of
// predictions (migration 10), every numeric feature's values counted in narrow cells of one fixed
// grid (sign, exponent and first 8 mantissa bits of the double: relative width 2^-8, with each
// cell's min and max), every category's count, and a census of the rows they counted (rows, XOR
// of the event-id hashes, rows carrying a label). Here the cells are refined to the reference's
// fine edges (cell-refinement.ts) and the category counts read as they are.
//
// DESIGN's duplicates rule holds because the aggregates are used only when they stand for exactly
// the events stored: the views' census (rows and XOR of the event-id hashes) must equal the
// predictions' own, taken when no event is stored twice. A resent event that slipped past the
// ingester's dedup window (counted twice by the views, collapsed later by the table), rows stored
// before the views existed, or rows deleted since, all send the window to the scan
// (server-histograms.ts, window-data.ts), as do windows that are not whole hours. Per feature, a
// cell straddling a fine edge or a range limit is split as if uniform; when such a cell holds more
// than MAX_STRADDLE_SHARE of the feature's values (a narrow feature far from 0, whose relative
// cells are wide, or heavy ties at an edge), that feature is counted by the scan instead.
import {
  sql,
  tableRef,
  RowBinaryReader,
  type SqlEngine,
  type SqlFragment,
} from "../store/index.js";
import { refineCells, type Cells } from "./cell-refinement.js";
import type { StoredWindow } from "./row-source.js";
import type { HistogramRequest, ServerHistogram } from "./server-histograms.js";
import type { SourceCensus } from "./window-data.js";

/** The most of a feature's values one straddling cell may hold (the bound on any bin's error). */
export const MAX_STRADDLE_SHARE = 0.005;
const HOUR_MS = 3_600_000;

export interface StoredHistograms {
  /** Features refined from stored cells. */
  readonly histograms: Map<string, ServerHistogram>;
  /** Requested features whose cells were too coarse: to be counted from the rows. */
  readonly scan: string[];
}

/** The stored aggregates of a window whose census matched. */
export interface StoredAggregates {
  /** Rows of the window that carry their own label (late labels are in `labels`). */
  readonly labelledRows: number;
  histograms(requests: readonly HistogramRequest[]): Promise<StoredHistograms>;
  /** Category counts per feature (strings, booleans and text predictions). */
  categories(): Promise<Map<string, Map<string, number>>>;
}

/** A window's stored aggregates being read, before its census is known. */
export interface StoredWindowRead {
  /** The aggregates, or undefined when the views' census differs from the stored events'. */
  verify(census: SourceCensus): Promise<StoredAggregates | undefined>;
}

/**
 * Starts reading a window's stored aggregates (the views' census, the cells and the category
 * counts: small reads) so they overlap the predictions' own census; undefined when the window is
 * not whole hours. `censusOnly`: just the census (for its labelled rows), not the aggregates.
 */
export function readStoredWindow(
  engine: SqlEngine,
  window: StoredWindow,
  options: { readonly censusOnly?: boolean } = {},
): StoredWindowRead | undefined {
  if (window.from % HOUR_MS !== 0 || window.to % HOUR_MS !== 0) return undefined;
  const where = sql`model = ${window.model} AND model_version = ${window.modelVersion}
    AND hour >= toDateTime(${window.from / 1000}) AND hour < toDateTime(${window.to / 1000})`;
  const counted = engine.query<{
    n: number;
    ids: string;
    labelled: number;
    numbers: number;
    categories: number;
  }>(
    sql`SELECT countMerge(n) AS n, groupBitXorMerge(ids) AS ids, sumMerge(labelled) AS labelled,
    sumMerge(numbers) AS numbers, sumMerge(categories) AS categories
  FROM ${tableRef(window.database, "histogram_census")} WHERE ${where}`,
  );
  const none = <T>() => Promise.resolve(new Map<string, T>());
  const cells = options.censusOnly ? none<Cells>() : featureCells(engine, window.database, where);
  const categories = options.censusOnly
    ? none<Map<string, number>>()
    : categoryCounts(engine, window.database, where);
  // Awaited in verify (or dropped with the census): no unhandled rejection meanwhile.
  for (const read of [counted, cells, categories]) read.catch(() => undefined);
  return {
    // A failed read (tables dropped by an operator who prefers cheaper inserts) means the scan.
    verify: (census) => verify(census).catch(() => undefined),
  };

  async function verify(census: SourceCensus): Promise<StoredAggregates | undefined> {
    const [views] = await counted;
    if (Number(views?.n ?? -1) !== census.rows || String(views?.ids ?? "") !== census.ids) {
      return undefined;
    }
    const labelledRows = Number(views?.labelled ?? 0);
    if (options.censusOnly) {
      const unread = () => Promise.reject(new Error("read for its census only"));
      return { labelledRows, histograms: unread, categories: unread };
    }
    // Every value of those rows in the cells and category counts (no view dropped or failed).
    const [featureCells, categoryCounts] = await Promise.all([cells, categories]);
    if (
      totalOf(featureCells.values(), (feature) => Array.from(feature.counts)) !==
        Number(views?.numbers) ||
      totalOf(categoryCounts.values(), (feature) => feature.values()) !== Number(views?.categories)
    ) {
      return undefined;
    }
    return {
      labelledRows,
      histograms: async (requests) => refinedHistograms(featureCells, requests),
      categories: async () => categoryCounts,
    };
  }
}

/** Every numeric feature's cells in the window. */
async function featureCells(
  engine: SqlEngine,
  database: string,
  where: SqlFragment,
): Promise<Map<string, Cells>> {
  const reply = await engine.queryRowBinary(sql`SELECT feature, groupArray(toFloat64(n)) AS counts,
    groupArray(lo) AS los, groupArray(hi) AS his
  FROM (SELECT feature, cell, countMerge(n) AS n, minMerge(lo) AS lo, maxMerge(hi) AS hi
    FROM ${tableRef(database, "feature_histograms")} WHERE ${where}
    GROUP BY feature, cell)
  GROUP BY feature`);
  const cells = new Map<string, Cells>();
  for (const reader = new RowBinaryReader(reply); !reader.done;) {
    const feature = reader.string();
    cells.set(feature, {
      counts: reader.float64Array(),
      lo: reader.float64Array(),
      hi: reader.float64Array(),
    });
  }
  return cells;
}

function totalOf<T>(items: Iterable<T>, counts: (item: T) => Iterable<number>): number {
  let total = 0;
  for (const item of items) for (const count of counts(item)) total += count;
  return total;
}

function refinedHistograms(
  cells: ReadonlyMap<string, Cells>,
  requests: readonly HistogramRequest[],
): StoredHistograms {
  const histograms = new Map<string, ServerHistogram>();
  const scan: string[] = [];
  for (const request of requests) {
    const featureCells = cells.get(request.feature);
    if (featureCells === undefined) continue; // no value in the window: as the scan would find
    const refined = refineCells(featureCells, request.edges, request.range);
    if (refined.straddle > MAX_STRADDLE_SHARE * refined.n) scan.push(request.feature);
    else histograms.set(request.feature, refined);
  }
  return { histograms, scan: scan.sort() };
}

async function categoryCounts(
  engine: SqlEngine,
  database: string,
  where: SqlFragment,
): Promise<Map<string, Map<string, number>>> {
  const rows = await engine.query<{ feature: string; value: string; n: number }>(
    sql`SELECT feature, value, sum(n) AS n FROM ${tableRef(database, "category_counts")}
  WHERE ${where} GROUP BY feature, value`,
  );
  const result = new Map<string, Map<string, number>>();
  for (const row of rows) {
    let counts = result.get(row.feature);
    if (counts === undefined) result.set(row.feature, (counts = new Map()));
    counts.set(row.value, Number(row.n));
  }
  return result;
}
