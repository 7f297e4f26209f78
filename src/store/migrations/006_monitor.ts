// Migration 6: the monitoring engine's own tables — reference definitions per model version,
// uploaded reference datasets (the predictions' column layout), and the evaluated windows
// (what the scheduler has done, so restarts neither skip nor repeat windows).
import { createTable } from "../table-ddl.js";
import type { Migration } from "./migration.js";

export const monitorTables: Migration = {
  version: 6,
  name: "monitor: model_references, reference_rows, evaluated_windows",
  statements: (target) => [
    // The latest row per (model, model_version) is the reference in force.
    ...createTable(target, {
      name: "model_references",
      columns: `
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
  created_by String`,
      engine: { kind: "ReplacingMergeTree", version: "created_at_ms" },
      orderBy: "(model, model_version)",
      shardingKey: "cityHash64(model)",
    }),
    ...createTable(target, {
      name: "reference_rows",
      columns: `
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
  label_value Nullable(Float64)`,
      engine: { kind: "MergeTree" },
      orderBy: "(model, model_version, reference_id, row_number)",
      shardingKey: "cityHash64(model)",
    }),
    ...createTable(target, {
      name: "evaluated_windows",
      columns: `
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
  evaluated_at_ms UInt64`,
      engine: { kind: "ReplacingMergeTree", version: "evaluated_at_ms" },
      partitionBy: "toYYYYMM(window_start)",
      orderBy: "(model, model_version, window_start)",
      shardingKey: "cityHash64(model)",
    }),
  ],
};
