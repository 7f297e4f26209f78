// Migration 1: the ingested data — predictions, late labels, dead letters (docs/storage.md).
import { createTable } from "../table-ddl.js";
import type { Migration } from "./migration.js";

export const coreTables: Migration = {
  version: 1,
  name: "core tables: predictions, labels, dead_letters",
  statements: (target) => [
    ...createTable(target, {
      name: "predictions",
      columns: `
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
  ingested_at DateTime DEFAULT now()`,
      engine: { kind: "ReplacingMergeTree", version: "ingested_at" },
      partitionBy: "toYYYYMMDD(ts)",
      orderBy: "(model, ts, event_id)",
      // DESIGN: a resent event lands on the shard that holds it.
      shardingKey: "cityHash64(model, event_id)",
    }),
    ...createTable(target, {
      name: "labels",
      columns: `
  model String,
  event_id String,
  label Nullable(String),
  label_value Nullable(Float64),
  ts DateTime,
  kafka_topic String,
  kafka_partition UInt32,
  kafka_offset UInt64,
  ingested_at DateTime DEFAULT now()`,
      engine: { kind: "ReplacingMergeTree", version: "ingested_at" },
      partitionBy: "toYYYYMMDD(ts)",
      orderBy: "(model, event_id)",
      shardingKey: "cityHash64(model, event_id)",
    }),
    ...createTable(target, {
      name: "dead_letters",
      columns: `
  received_at DateTime,
  topic String,
  \`partition\` UInt32,
  \`offset\` UInt64,
  reason String,
  detail String,
  raw String,
  key String`,
      engine: { kind: "MergeTree" },
      partitionBy: "toYYYYMMDD(received_at)",
      orderBy: "(received_at, topic, `partition`, `offset`)",
      // One Kafka partition's dead letters on one shard: an insert stores a partition's dead
      // letters whole or not at all, so its position is the highest offset on any shard.
      shardingKey: "cityHash64(topic, `partition`)",
    }),
  ],
};
