// Migration 4: what the ingester and `dlq replay` keep beside the data. `ingest_positions` holds
// the highest stored Kafka offset per (table, topic, partition), fed by materialized views within
// the same INSERT as the rows, so a restarted ingester skips what is already stored without
// scanning the data tables. `dead_letter_replays` records which dead letters were re-published.
//
// On a cluster each shard's views record the highest offset of that shard's rows in its own
// ingest_positions_local; the ingester reads them per shard (src/ingest/stored-positions.ts).
import {
  localTableRef,
  createMaterializedView,
  createTable,
  type SchemaTarget,
} from "../table-ddl.js";
import { tableRef } from "../database.js";
import { raw, sql, type SqlFragment } from "../sql.js";
import type { Migration } from "./migration.js";

/** Source tables and the expressions naming their Kafka position columns. */
const SOURCES = [
  {
    table: "predictions",
    topic: "kafka_topic",
    partition: "kafka_partition",
    offset: "kafka_offset",
  },
  { table: "labels", topic: "kafka_topic", partition: "kafka_partition", offset: "kafka_offset" },
  { table: "dead_letters", topic: "topic", partition: "`partition`", offset: "`offset`" },
] as const;

function positionsSelect(target: SchemaTarget, source: (typeof SOURCES)[number]): SqlFragment {
  const topic = raw(source.topic);
  const partition = raw(source.partition);
  const offset = raw(source.offset);
  return sql`SELECT ${source.table} AS table_name, ${topic} AS kafka_topic, ${partition} AS kafka_partition, max(${offset}) AS max_offset
FROM ${localTableRef(target, source.table)}
GROUP BY ${topic}, ${partition}`;
}

export const ingestPositions: Migration = {
  version: 4,
  name: "ingest positions and dead-letter replays",
  statements: (target) => {
    const positions = tableRef(target.database, "ingest_positions");
    return [
      ...createTable(target, {
        name: "ingest_positions",
        columns: `
  table_name String,
  kafka_topic String,
  kafka_partition UInt32,
  max_offset UInt64`,
        engine: { kind: "ReplacingMergeTree", version: "max_offset" },
        orderBy: "(table_name, kafka_topic, kafka_partition)",
        // Only the views write it, each into its own shard's table; never inserted through.
        shardingKey: "cityHash64(table_name, kafka_topic, kafka_partition)",
      }),
      ...SOURCES.map((source) =>
        createMaterializedView(target, {
          name: `ingest_positions_${source.table}`,
          to: "ingest_positions",
          select: positionsSelect(target, source),
        }),
      ),
      // Rows stored before this migration (harmless when repeated: readers take the max). A
      // cluster schema is created whole, before any row: nothing to record, and an INSERT
      // through the Distributed table would put one shard's rows' position on another shard.
      ...(target.cluster === undefined
        ? SOURCES.map((source) => sql`INSERT INTO ${positions} ${positionsSelect(target, source)}`)
        : []),
      ...createTable(target, {
        name: "dead_letter_replays",
        columns: `
  topic String,
  \`partition\` UInt32,
  \`offset\` UInt64,
  reason String,
  replayed_at DateTime`,
        engine: { kind: "ReplacingMergeTree", version: "replayed_at" },
        orderBy: "(topic, `partition`, `offset`)",
        shardingKey: "cityHash64(topic, `partition`)",
      }),
    ];
  },
};
