// The rows the monitor writes: drift_results (per feature and metric), performance_results
// (per metric, realized and estimated: estimates with their bands in the columns of migration 9)
// and evaluated_windows (one per evaluated model version and window). Writes are
// idempotent: the tables are ReplacingMergeTree on the computation time and every read takes
// the latest row of each key. The rows are the stored form of the vocabulary's typed results:
// model-level results under feature "_dataset", no threshold as 0, nothing measured as NaN.
import type { DriftTableResult, PerformanceTableResult } from "../../detectors/index.js";
import type { SqlEngine } from "../store/index.js";

/** The feature name of model-level rows (drift share, row count) in drift_results. */
export const DATASET_FEATURE = "_dataset";

export interface ResultRow {
  readonly feature: string;
  readonly metric: DriftTableResult["metric"];
  readonly value: number;
  /** 0 when the result has no threshold (the table's convention). */
  readonly threshold: number;
  readonly drifted: boolean;
}

export interface PerformanceRow {
  readonly metric: PerformanceTableResult["metric"];
  readonly value: number;
  /** NaN when the reference has no value. */
  readonly referenceValue: number;
  readonly nLabelled: number;
  /** NaN when no test applies. */
  readonly pValue: number;
  /** Estimates only (NaN otherwise): the sampling-error band and the reference's band. */
  readonly bandLower: number;
  readonly bandUpper: number;
  readonly thresholdLower: number;
  readonly thresholdUpper: number;
  /** Estimates only: outside the reference's band. */
  readonly alert: boolean;
}

/** The drift_results row of a typed result. */
export function driftResultRow(result: DriftTableResult): ResultRow {
  const { metric, value } = result;
  switch (result.kind) {
    case "drift": {
      const judgement = result.judgement;
      return {
        feature: result.feature,
        metric,
        value,
        threshold: judgement?.threshold ?? 0,
        drifted: judgement?.drifted ?? false,
      };
    }
    case "data_quality":
      return { feature: result.feature, metric, value, threshold: 0, drifted: false };
    case "volume":
      return { feature: DATASET_FEATURE, metric, value, threshold: 0, drifted: false };
    default:
      return {
        feature: DATASET_FEATURE,
        metric,
        value,
        threshold: result.threshold,
        drifted: result.drifted,
      };
  }
}

const orNaN = (value: number | null): number => value ?? Number.NaN;

/** The performance_results row of a typed result. */
export function performanceResultRow(result: PerformanceTableResult): PerformanceRow {
  const estimate = result.kind === "performance_estimated" ? result : undefined;
  return {
    metric: result.metric,
    value: result.value,
    referenceValue: orNaN(result.referenceValue),
    nLabelled: result.nLabelled,
    pValue: result.kind === "performance" ? orNaN(result.pValue) : Number.NaN,
    bandLower: orNaN(estimate?.lower ?? null),
    bandUpper: orNaN(estimate?.upper ?? null),
    thresholdLower: orNaN(estimate?.thresholdLower ?? null),
    thresholdUpper: orNaN(estimate?.thresholdUpper ?? null),
    alert: estimate?.alert ?? false,
  };
}

export interface WindowKey {
  readonly model: string;
  readonly modelVersion: string;
  readonly windowStart: number;
  readonly windowEnd: number;
}

export interface WindowRecord extends WindowKey {
  readonly rowCount: number;
  readonly nLabelled: number;
  readonly performanceEvaluated: boolean;
  readonly driftShare: number | null;
  readonly drifted: boolean;
  readonly degraded: boolean;
  readonly reasons: readonly string[];
  readonly skippedReason: string;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

export async function writeDriftRows(
  engine: SqlEngine,
  database: string,
  key: WindowKey,
  rows: readonly ResultRow[],
  now: number,
): Promise<void> {
  if (rows.length === 0) return;
  await engine.insert(
    `${database}.drift_results`,
    rows.map((row) => ({
      model: key.model,
      model_version: key.modelVersion,
      window_start: seconds(key.windowStart),
      window_end: seconds(key.windowEnd),
      feature: row.feature,
      metric: row.metric,
      value: row.value,
      threshold: row.threshold,
      drifted: row.drifted ? 1 : 0,
      computed_at: seconds(now),
    })),
  );
}

export async function writePerformanceRows(
  engine: SqlEngine,
  database: string,
  key: WindowKey,
  rows: readonly PerformanceRow[],
  now: number,
): Promise<void> {
  if (rows.length === 0) return;
  await engine.insert(
    `${database}.performance_results`,
    rows.map((row) => ({
      model: key.model,
      model_version: key.modelVersion,
      window_start: seconds(key.windowStart),
      window_end: seconds(key.windowEnd),
      metric: row.metric,
      value: row.value,
      reference_value: row.referenceValue,
      n_labelled: row.nLabelled,
      p_value: row.pValue,
      band_lower: row.bandLower,
      band_upper: row.bandUpper,
      threshold_lower: row.thresholdLower,
      threshold_upper: row.thresholdUpper,
      alert: row.alert ? 1 : 0,
      computed_at: seconds(now),
    })),
  );
}

export async function writeWindowRecord(
  engine: SqlEngine,
  database: string,
  record: WindowRecord,
  now: number,
): Promise<void> {
  await engine.insert(`${database}.evaluated_windows`, [
    {
      model: record.model,
      model_version: record.modelVersion,
      window_start: seconds(record.windowStart),
      window_end: seconds(record.windowEnd),
      row_count: record.rowCount,
      n_labelled: record.nLabelled,
      performance_evaluated: record.performanceEvaluated ? 1 : 0,
      drift_share: record.driftShare ?? Number.NaN,
      drifted: record.drifted ? 1 : 0,
      degraded: record.degraded ? 1 : 0,
      reasons: [...record.reasons],
      skipped_reason: record.skippedReason,
      evaluated_at: seconds(now),
      evaluated_at_ms: now,
    },
  ]);
}
