// Migration 8: rows ingested per 10 seconds, table and model, kept by materialized views within
// each INSERT into predictions, labels and dead_letters. The evaluator's self-health reads it
// (dead-letter rate, models gone silent) without scanning the data tables; dashboards may chart it.
import { raw, sql, type SqlFragment } from "../sql.js";
import {
  createMaterializedView,
  createTable,
  localTableRef,
  type SchemaTarget,
} from "../table-ddl.js";
import type { Migration } from "./migration.js";

const SOURCES = [
  { table: "predictions", time: "ingested_at", model: "model" },
  { table: "labels", time: "ingested_at", model: "model" },
  // Dead letters have no trustworthy model: counted service-wide.
  { table: "dead_letters", time: "received_at", model: "''" },
] as const;

function countsSelect(target: SchemaTarget, source: (typeof SOURCES)[number]): SqlFragment {
  // 18.16 has no toStartOfInterval: the bucket is the epoch second rounded down to a multiple of 10.
  return sql`SELECT toDateTime(intDiv(toUInt32(${raw(source.time)}), 10) * 10) AS bucket, ${source.table} AS table_name, ${raw(source.model)} AS model, count() AS rows
FROM ${localTableRef(target, source.table)}
GROUP BY bucket, model`;
}

export const ingestCounts: Migration = {
  version: 8,
  name: "ingest counts per 10 seconds",
  statements: (target) => [
    ...createTable(target, {
      name: "ingest_counts",
      columns: `
  bucket DateTime,
  table_name String,
  model String,
  rows UInt64`,
      engine: { kind: "SummingMergeTree", sum: "rows" },
      partitionBy: "toYYYYMMDD(bucket)",
      orderBy: "(table_name, model, bucket)",
      // Only the views write it (per shard); readers sum across shards.
      shardingKey: "cityHash64(model)",
    }),
    ...SOURCES.map((source) =>
      createMaterializedView(target, {
        name: `ingest_counts_${source.table}`,
        to: "ingest_counts",
        select: countsSelect(target, source),
      }),
    ),
  ],
};
