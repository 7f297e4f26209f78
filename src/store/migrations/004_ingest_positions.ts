// Migration 4: what the ingester and `dlq replay` keep beside the data. `ingest_positions` holds
// the highest stored Kafka offset per (table, topic, partition), fed by materialized views within
// the same INSERT as the rows, so a restarted ingester skips what is already stored without
// scanning the data tables. `dead_letter_replays` records which dead letters were re-published.
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

function positionsSelect(database: string, source: (typeof SOURCES)[number]): SqlFragment {
  const topic = raw(source.topic);
  const partition = raw(source.partition);
  const offset = raw(source.offset);
  return sql`SELECT ${source.table} AS table_name, ${topic} AS kafka_topic, ${partition} AS kafka_partition, max(${offset}) AS max_offset
FROM ${tableRef(database, source.table)}
GROUP BY ${topic}, ${partition}`;
}

export const ingestPositions: Migration = {
  version: 4,
  name: "ingest positions and dead-letter replays",
  statements: (database) => {
    const positions = tableRef(database, "ingest_positions");
    return [
      sql`CREATE TABLE IF NOT EXISTS ${positions} (
  table_name String,
  kafka_topic String,
  kafka_partition UInt32,
  max_offset UInt64
) ENGINE = ReplacingMergeTree(max_offset)
ORDER BY (table_name, kafka_topic, kafka_partition)`,
      ...SOURCES.map(
        (source) =>
          sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${tableRef(database, `ingest_positions_${source.table}`)}
TO ${positions}
AS ${positionsSelect(database, source)}`,
      ),
      // Rows stored before this migration (harmless when repeated: readers take the max).
      ...SOURCES.map(
        (source) => sql`INSERT INTO ${positions} ${positionsSelect(database, source)}`,
      ),
      sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, "dead_letter_replays")} (
  topic String,
  \`partition\` UInt32,
  \`offset\` UInt64,
  reason String,
  replayed_at DateTime
) ENGINE = ReplacingMergeTree(replayed_at)
ORDER BY (topic, \`partition\`, \`offset\`)`,
    ];
  },
};
