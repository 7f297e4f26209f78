// The highest Kafka offset already stored per (table, topic, partition), read from the small
// `ingest_positions` table that materialized views fill atomically with every insert. A record at
// or below its table's mark is already in ClickHouse, so a redelivery (crash between insert and
// commit, rebalance) is skipped instead of being inserted twice.
//
// On a cluster (docs/storage.md, "On a cluster") each shard's views record the highest offset of
// that shard's rows, and one insert through the Distributed table is split per shard and is not
// atomic: shard 1 may store its part while shard 2 fails. A mark must never pass a row a shard
// lacks, so the marks are read per shard: for predictions and labels (sharded by model and event
// id, every batch spreads over every shard) a partition's mark is the LOWEST of the shards'
// highest offsets, and no mark at all when a shard has none. Rows at or below it are stored:
// each shard holds its rows up to its own highest offset (inserts go in offset order and only an
// acknowledged insert, which every shard stored, lets a later one start), and every shard's
// highest is at least the mark. Dead letters are sharded by (topic, partition), so one
// partition's dead letters of an insert are stored whole or not at all: their mark is the
// highest offset on any shard. A mark read lower than the truth (a lagging replica, an idle
// shard) only re-inserts rows, which collapse (ReplacingMergeTree on the shard that holds them).
import type { TopicPartitionOffset } from "../kafka/index.js";
import { type SqlEngine, tableRef, sql, type SqlFragment } from "../store/index.js";
import type { IngestTable } from "./rows.js";

export const POSITIONS_TABLE = "ingest_positions";

function positionKey(table: IngestTable, topic: string, partition: number): string {
  return `${table}\u0000${topic}\u0000${partition}`;
}

export class StoredPositions {
  private readonly marks = new Map<string, number>();
  private loadedFor: readonly string[] | undefined;

  constructor(
    private readonly engine: SqlEngine,
    private readonly database: string,
  ) {}

  /** Whether the marks were read since the last `invalidate()`. */
  get loaded(): boolean {
    return this.loadedFor !== undefined;
  }

  /** Read the marks of every partition of `topics` (one small GROUP BY query). */
  async load(topics: readonly string[]): Promise<void> {
    const marks = await this.readMarks(topics);
    this.marks.clear();
    for (const [key, offset] of marks) this.marks.set(key, offset);
    this.loadedFor = [...topics];
  }

  /**
   * Whether ClickHouse already holds `table` up to each given offset — asked after an insert
   * failed ambiguously (connection lost after sending), so a retry does not insert it twice.
   */
  async covers(table: IngestTable, positions: readonly TopicPartitionOffset[]): Promise<boolean> {
    if (positions.length === 0) return true;
    const marks = await this.readMarks([...new Set(positions.map((p) => p.topic))]);
    return positions.every(({ topic, partition, offset }) => {
      const mark = marks.get(positionKey(table, topic, partition));
      return mark !== undefined && mark >= offset;
    });
  }

  private async readMarks(topics: readonly string[]): Promise<Map<string, number>> {
    const cluster = this.engine.cluster;
    // On a cluster: one row per shard and key (the shards' groups are not merged).
    const perShard: SqlFragment =
      cluster === undefined ? sql`` : sql`\n      SETTINGS distributed_group_by_no_merge = 1`;
    const rows = await this.engine.query<{
      table_name: string;
      kafka_topic: string;
      kafka_partition: number;
      max_offset: number;
    }>(sql`
      SELECT table_name, kafka_topic, kafka_partition, max(max_offset) AS max_offset
      FROM ${tableRef(this.database, POSITIONS_TABLE)}
      WHERE has(${[...topics]}, kafka_topic)
      GROUP BY table_name, kafka_topic, kafka_partition${perShard}`);
    const shards = cluster === undefined ? 1 : await this.shardCount(cluster);
    const found = new Map<
      string,
      { table: IngestTable; lowest: number; highest: number; shards: number }
    >();
    for (const row of rows) {
      const table = row.table_name as IngestTable;
      const key = positionKey(table, row.kafka_topic, Number(row.kafka_partition));
      const offset = Number(row.max_offset);
      const seen = found.get(key);
      if (seen === undefined) found.set(key, { table, lowest: offset, highest: offset, shards: 1 });
      else {
        seen.lowest = Math.min(seen.lowest, offset);
        seen.highest = Math.max(seen.highest, offset);
        seen.shards += 1;
      }
    }
    const marks = new Map<string, number>();
    for (const [key, seen] of found) {
      if (seen.table === "dead_letters") marks.set(key, seen.highest);
      else if (seen.shards >= shards) marks.set(key, seen.lowest);
    }
    return marks;
  }

  /** Shards of the cluster (asked on every read: a shard added later counts at once). */
  private async shardCount(cluster: string): Promise<number> {
    const [row] = await this.engine.query<{ shards: number }>(
      sql`SELECT uniqExact(shard_num) AS shards FROM system.clusters WHERE cluster = ${cluster}`,
    );
    const shards = Number(row?.shards ?? 0);
    if (shards === 0)
      throw new Error(`ClickHouse knows no cluster ${cluster} (clickhouse.cluster)`);
    return shards;
  }

  /** Whether a record bound for `table` at `offset` is already stored. */
  isStored(table: IngestTable, topic: string, partition: number, offset: number): boolean {
    return offset <= this.markOf(table, topic, partition);
  }

  /** The highest stored offset of `table` for the partition, −1 when none is known. */
  markOf(table: IngestTable, topic: string, partition: number): number {
    return this.marks.get(positionKey(table, topic, partition)) ?? -1;
  }

  /** Record that `table` now holds `partition` up to `offset` (after an acknowledged insert). */
  markStored(table: IngestTable, topic: string, partition: number, offset: number): void {
    const key = positionKey(table, topic, partition);
    const mark = this.marks.get(key);
    if (mark === undefined || offset > mark) this.marks.set(key, offset);
  }

  /** Forget the marks (after a rebalance): they are read again before the next record. */
  invalidate(): void {
    this.marks.clear();
    this.loadedFor = undefined;
  }
}
