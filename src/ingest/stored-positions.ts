// The highest Kafka offset already stored per (table, topic, partition), read from the small
// `ingest_positions` table that materialized views fill atomically with every insert. A record at
// or below its table's mark is already in ClickHouse, so a redelivery (crash between insert and
// commit, rebalance) is skipped instead of being inserted twice.
import type { TopicPartitionOffset } from "../kafka/index.js";
import { type SqlEngine, tableRef, sql } from "../store/index.js";
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
    const rows = await this.engine.query<{
      table_name: string;
      kafka_topic: string;
      kafka_partition: number;
      max_offset: number;
    }>(sql`
      SELECT table_name, kafka_topic, kafka_partition, max(max_offset) AS max_offset
      FROM ${tableRef(this.database, POSITIONS_TABLE)}
      WHERE has(${[...topics]}, kafka_topic)
      GROUP BY table_name, kafka_topic, kafka_partition`);
    const marks = new Map<string, number>();
    for (const row of rows) {
      const key = positionKey(
        row.table_name as IngestTable,
        row.kafka_topic,
        Number(row.kafka_partition),
      );
      marks.set(key, Number(row.max_offset));
    }
    return marks;
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
