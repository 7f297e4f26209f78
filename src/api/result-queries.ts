// Reads driftwatch.drift_results / performance_results for the API: FINAL collapses re-evaluated
// windows (ReplacingMergeTree on computed_at) to their newest row. Runs on 18.16 and current.
import { tableRef, type SqlEngine, join, sql, type SqlFragment } from "../store/index.js";

export interface ResultFilter {
  readonly model: string;
  /** Window starts in [from, to), epoch ms. */
  readonly from: number;
  readonly to: number;
  readonly modelVersion?: string;
  readonly feature?: string;
  readonly metric?: string;
  /** At most this many rows (one more is asked for, to tell truncation). */
  readonly limit: number;
}

export interface DriftResultRow {
  readonly modelVersion: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly feature: string;
  readonly metric: string;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly drifted: boolean;
}

export interface PerformanceResultRow {
  readonly modelVersion: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly metric: string;
  readonly value: number | null;
  readonly referenceValue: number | null;
  readonly nLabelled: number;
  readonly pValue: number | null;
  /** An estimate's sampling-error band (estimated_<metric> rows; null on realized ones). */
  readonly bandLower: number | null;
  readonly bandUpper: number | null;
  /** The reference's band for a window of this size (null when none was computed). */
  readonly thresholdLower: number | null;
  readonly thresholdUpper: number | null;
  /** The estimate left the reference's band. */
  readonly alert: boolean;
}

function conditions(filter: ResultFilter, withFeature: boolean): SqlFragment {
  const parts = [
    sql`model = ${filter.model}`,
    sql`window_start >= toDateTime(${Math.floor(filter.from / 1000)})`,
    sql`window_start < toDateTime(${Math.ceil(filter.to / 1000)})`,
  ];
  if (filter.modelVersion !== undefined) parts.push(sql`model_version = ${filter.modelVersion}`);
  if (withFeature && filter.feature !== undefined) parts.push(sql`feature = ${filter.feature}`);
  if (filter.metric !== undefined) parts.push(sql`metric = ${filter.metric}`);
  return join(parts, " AND ");
}

const number = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** A number, or null where the table keeps NaN for "none" (the band columns' default). */
const finite = (value: unknown): number | null => {
  const found = number(value);
  return found === null || Number.isFinite(found) ? found : null;
};

export async function queryDriftResults(
  engine: SqlEngine,
  database: string,
  filter: ResultFilter,
): Promise<{ rows: DriftResultRow[]; truncated: boolean }> {
  const rows = await engine.query<Record<string, unknown>>(
    sql`SELECT model_version, toUnixTimestamp(window_start) AS ws, toUnixTimestamp(window_end) AS we,
  feature, metric, value, threshold, drifted
FROM ${tableRef(database, "drift_results")} FINAL
WHERE ${conditions(filter, true)}
ORDER BY window_start, model_version, feature, metric
LIMIT ${filter.limit + 1}`,
  );
  return {
    truncated: rows.length > filter.limit,
    rows: rows.slice(0, filter.limit).map((row) => ({
      modelVersion: String(row.model_version),
      windowStart: Number(row.ws) * 1000,
      windowEnd: Number(row.we) * 1000,
      feature: String(row.feature),
      metric: String(row.metric),
      value: number(row.value),
      threshold: number(row.threshold),
      drifted: Number(row.drifted) === 1,
    })),
  };
}

export async function queryPerformanceResults(
  engine: SqlEngine,
  database: string,
  filter: ResultFilter,
): Promise<{ rows: PerformanceResultRow[]; truncated: boolean }> {
  const rows = await engine.query<Record<string, unknown>>(
    sql`SELECT model_version, toUnixTimestamp(window_start) AS ws, toUnixTimestamp(window_end) AS we,
  metric, value, reference_value, n_labelled, p_value,
  band_lower, band_upper, threshold_lower, threshold_upper, alert
FROM ${tableRef(database, "performance_results")} FINAL
WHERE ${conditions(filter, false)}
ORDER BY window_start, model_version, metric
LIMIT ${filter.limit + 1}`,
  );
  return {
    truncated: rows.length > filter.limit,
    rows: rows.slice(0, filter.limit).map((row) => ({
      modelVersion: String(row.model_version),
      windowStart: Number(row.ws) * 1000,
      windowEnd: Number(row.we) * 1000,
      metric: String(row.metric),
      value: number(row.value),
      referenceValue: number(row.reference_value),
      nLabelled: Number(row.n_labelled),
      pValue: number(row.p_value),
      bandLower: finite(row.band_lower),
      bandUpper: finite(row.band_upper),
      thresholdLower: finite(row.threshold_lower),
      thresholdUpper: finite(row.threshold_upper),
      alert: Number(row.alert) === 1,
    })),
  };
}
