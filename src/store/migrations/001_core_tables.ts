// Migration 1: the ingested data — predictions, late labels, dead letters (docs/storage.md).
import { tableRef } from "../database.js";
import { sql } from "../sql.js";
import type { Migration } from "./migration.js";

export const coreTables: Migration = {
  version: 1,
  name: "core tables: predictions, labels, dead_letters",
  statements: (database) => [
    sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, "predictions")} (
  model String,
  model_version String,
  event_id String,
  ts DateTime,
  ts_ms UInt16,
  num_names Array(String),
  num_values Array(Float64),
  cat_names Array(String),
  cat_values Array(String),
  missing_names Array(String),
  prediction Nullable(String),
  prediction_value Nullable(Float64),
  label Nullable(String),
  label_value Nullable(Float64),
  kafka_topic String,
  kafka_partition UInt32,
  kafka_offset UInt64,
  ingested_at DateTime DEFAULT now()
) ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMMDD(ts)
ORDER BY (model, ts, event_id)`,
    sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, "labels")} (
  model String,
  event_id String,
  label Nullable(String),
  label_value Nullable(Float64),
  ts DateTime,
  kafka_topic String,
  kafka_partition UInt32,
  kafka_offset UInt64,
  ingested_at DateTime DEFAULT now()
) ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMMDD(ts)
ORDER BY (model, event_id)`,
    sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, "dead_letters")} (
  received_at DateTime,
  topic String,
  \`partition\` UInt32,
  \`offset\` UInt64,
  reason String,
  detail String,
  raw String,
  key String
) ENGINE = MergeTree
PARTITION BY toYYYYMMDD(received_at)
ORDER BY (received_at, topic, \`partition\`, \`offset\`)`,
  ],
};
