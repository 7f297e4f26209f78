// Migration 6: the monitoring engine's own tables — reference definitions per model version,
// uploaded reference datasets (the predictions' column layout), and the evaluated windows
// (what the scheduler has done, so restarts neither skip nor repeat windows).
import { tableRef } from "../database.js";
import { sql } from "../sql.js";
import type { Migration } from "./migration.js";

export const monitorTables: Migration = {
  version: 6,
  name: "monitor: model_references, reference_rows, evaluated_windows",
  statements: (database) => [
    // The latest row per (model, model_version) is the reference in force.
    sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, "model_references")} (
  model String,
  model_version String,
  reference_id String,
  kind String,
  range_from DateTime,
  range_to DateTime,
  rolling_days UInt32,
  row_count UInt64,
  created_at DateTime,
  created_at_ms UInt64,
  created_by String
) ENGINE = ReplacingMergeTree(created_at_ms)
ORDER BY (model, model_version)`,
    sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, "reference_rows")} (
  model String,
  model_version String,
  reference_id String,
  row_number UInt64,
  num_names Array(String),
  num_values Array(Float64),
  cat_names Array(String),
  cat_values Array(String),
  missing_names Array(String),
  prediction Nullable(String),
  prediction_value Nullable(Float64),
  label Nullable(String),
  label_value Nullable(Float64)
) ENGINE = MergeTree
ORDER BY (model, model_version, reference_id, row_number)`,
    sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, "evaluated_windows")} (
  model String,
  model_version String,
  window_start DateTime,
  window_end DateTime,
  row_count UInt64,
  n_labelled UInt64,
  performance_evaluated UInt8,
  drift_share Float64,
  drifted UInt8,
  degraded UInt8,
  reasons Array(String),
  skipped_reason String,
  evaluated_at DateTime,
  evaluated_at_ms UInt64
) ENGINE = ReplacingMergeTree(evaluated_at_ms)
PARTITION BY toYYYYMM(window_start)
ORDER BY (model, model_version, window_start)`,
  ],
};
