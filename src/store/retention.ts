// Retention: drops whole day partitions older than the configured days per table (18.16 has no
// TTL). Partitions are `toYYYYMMDD(time)` in the server's time zone; a day is dropped only when
// it ends before `now − days`, so no row younger than the limit is ever removed. On a cluster
// the partitions of `<table>_local` are listed on every shard (one replica each) and dropped
// ON CLUSTER: each shard drops its part of the day, replicas follow through replication. The
// hourly aggregates the views keep of predictions follow predictions' retention.
import type { RetainedTable } from "../config/index.js";
import type { Logger } from "../util/index.js";
import type { SqlEngine } from "./engine.js";
import { ident, sql, type SqlFragment } from "./sql.js";
import { localTableName, localTableRef, onCluster, type SchemaTarget } from "./table-ddl.js";

export interface DroppedPartition {
  readonly table: string;
  /** The partition value, e.g. 20261116 (the day, in the server's time zone). */
  readonly partition: number;
}

const DAY_SECONDS = 86_400;

/**
 * Tables kept by materialized views from a retained table, partitioned by the same day: their
 * rows go with the source's (migration 10's hourly aggregates of predictions).
 */
const DERIVED: Partial<Record<RetainedTable, readonly string[]>> = {
  predictions: ["feature_histograms", "category_counts", "histogram_census"],
};
const DAY_PARTITION = /^\d{8}$/;

/**
 * For every table with a positive retention, drop its active day partitions that lie wholly
 * before `now − days`. Returns what was dropped. Tables that do not exist yet are skipped.
 */
export async function applyRetention(
  engine: SqlEngine,
  config: {
    readonly clickhouse: { readonly database: string };
    readonly retention: Readonly<Partial<Record<RetainedTable, number>>>;
  },
  now: Date,
  logger?: Logger,
): Promise<DroppedPartition[]> {
  const database = config.clickhouse.database;
  const target: SchemaTarget = { database, cluster: engine.cluster };
  const parts: SqlFragment =
    engine.cluster === undefined
      ? sql`system.parts`
      : sql`cluster(${engine.cluster}, ${ident("system")}, ${ident("parts")})`;
  const dropped: DroppedPartition[] = [];
  const retained = Object.entries(config.retention).flatMap(([table, days]) => [
    [table, days] as const,
    ...(DERIVED[table as RetainedTable] ?? []).map((derived) => [derived, days] as const),
  ]);
  for (const [table, days] of retained) {
    if (days === undefined || days <= 0) continue;
    const cutoffSeconds = Math.floor(now.getTime() / 1000) - days * DAY_SECONDS;
    // The cutoff's own day (server time zone) still holds rows younger than the limit: keep it.
    const rows = await engine.query<{ partition: string; cutoff_day: number }>(
      sql`SELECT DISTINCT ${ident("partition")} AS partition, toYYYYMMDD(toDateTime(${cutoffSeconds})) AS cutoff_day
FROM ${parts}
WHERE database = ${database} AND table = ${localTableName(target, table)} AND active
ORDER BY partition`,
    );
    for (const row of rows) {
      if (!DAY_PARTITION.test(row.partition)) {
        logger?.warn(
          { table, partition: row.partition },
          "retention: partition is not a day (YYYYMMDD); left alone",
        );
        continue;
      }
      const partition = Number(row.partition);
      if (partition >= Number(row.cutoff_day)) continue;
      await engine.command(
        sql`ALTER TABLE ${localTableRef(target, table)}${onCluster(target)} DROP PARTITION ${partition}`,
      );
      dropped.push({ table, partition });
    }
  }
  if (dropped.length > 0) {
    logger?.info(
      { dropped, now: now.toISOString() },
      `retention: dropped ${dropped.length} partition(s)`,
    );
  } else {
    logger?.debug({ now: now.toISOString() }, "retention: nothing to drop");
  }
  return dropped;
}
