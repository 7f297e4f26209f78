// Migration 2: detector output — drift per feature and model performance per window.
import { tableRef } from "../database.js";
import { sql } from "../sql.js";
import type { Migration } from "./migration.js";

export const resultTables: Migration = {
  version: 2,
  name: "result tables: drift_results, performance_results",
  statements: (database) => [
    sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, "drift_results")} (
  model String,
  model_version String,
  window_start DateTime,
  window_end DateTime,
  feature String,
  metric String,
  value Float64,
  threshold Float64,
  drifted UInt8,
  computed_at DateTime
) ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMMDD(window_start)
ORDER BY (model, model_version, window_start, feature, metric)`,
    sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, "performance_results")} (
  model String,
  model_version String,
  window_start DateTime,
  window_end DateTime,
  metric String,
  value Float64,
  reference_value Float64,
  n_labelled UInt64,
  p_value Float64,
  computed_at DateTime
) ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMMDD(window_start)
ORDER BY (model, model_version, window_start, metric)`,
  ],
};
