// Migration 2: detector output — drift per feature and model performance per window.
import { createTable } from "../table-ddl.js";
import type { Migration } from "./migration.js";

export const resultTables: Migration = {
  version: 2,
  name: "result tables: drift_results, performance_results",
  statements: (target) => [
    ...createTable(target, {
      name: "drift_results",
      columns: `
  model String,
  model_version String,
  window_start DateTime,
  window_end DateTime,
  feature String,
  metric String,
  value Float64,
  threshold Float64,
  drifted UInt8,
  computed_at DateTime`,
      engine: { kind: "ReplacingMergeTree", version: "computed_at" },
      partitionBy: "toYYYYMMDD(window_start)",
      orderBy: "(model, model_version, window_start, feature, metric)",
      // A model's results on one shard: FINAL collapses re-evaluations per shard.
      shardingKey: "cityHash64(model)",
    }),
    ...createTable(target, {
      name: "performance_results",
      columns: `
  model String,
  model_version String,
  window_start DateTime,
  window_end DateTime,
  metric String,
  value Float64,
  reference_value Float64,
  n_labelled UInt64,
  p_value Float64,
  computed_at DateTime`,
      engine: { kind: "ReplacingMergeTree", version: "computed_at" },
      partitionBy: "toYYYYMMDD(window_start)",
      orderBy: "(model, model_version, window_start, metric)",
      shardingKey: "cityHash64(model)",
    }),
  ],
};
