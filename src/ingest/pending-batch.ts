// One batch in the making: the rows bound for each table, the DLQ records, the dedup keys it
// admitted and, per partition, the offset to commit once every row is acknowledged.
import type { OutgoingRecord, TopicPartitionOffset } from "../kafka/types.js";
import type { DeadLetterRow, IngestTable, LabelRow, PredictionRow } from "./rows.js";

/** The DLQ topic's headers: why, and where the original message was. */
export function deadLetterRecord(row: DeadLetterRow, key: Buffer | null): OutgoingRecord {
  return {
    key,
    value: row.raw,
    headers: {
      reason: row.reason,
      detail: row.detail,
      "original-topic": row.topic,
      "original-partition": String(row.partition),
      "original-offset": String(row.offset),
    },
  };
}

export class PendingBatch {
  readonly predictions: PredictionRow[] = [];
  readonly labels: LabelRow[] = [];
  readonly deadLetters: DeadLetterRow[] = [];
  readonly dlqRecords: OutgoingRecord[] = [];
  /** Dedup keys admitted for this batch's rows, per dedup window table. */
  readonly admittedKeys: Record<"predictions" | "labels", string[]> = {
    predictions: [],
    labels: [],
  };
  /** Messages consumed into this batch (rows, dead letters and skipped ones). */
  messages = 0;
  /** When the first message came in (epoch ms); the batch is due batchMaxWaitMs later. */
  startedAt = Number.POSITIVE_INFINITY;
  private readonly nextOffsets = new Map<string, TopicPartitionOffset>();
  /** Highest offset per table and partition among this batch's rows. */
  private readonly highestOffsets = new Map<
    string,
    { table: IngestTable } & TopicPartitionOffset
  >();

  get rows(): number {
    return this.predictions.length + this.labels.length + this.deadLetters.length;
  }

  /** Nothing to insert and no position to commit. */
  get isEmpty(): boolean {
    return this.rows === 0 && this.nextOffsets.size === 0;
  }

  addPrediction(row: PredictionRow, dedupKey: string): void {
    this.predictions.push(row);
    this.admittedKeys.predictions.push(dedupKey);
    this.noteRow("predictions", row.kafka_topic, row.kafka_partition, row.kafka_offset);
  }

  addLabel(row: LabelRow, dedupKey: string): void {
    this.labels.push(row);
    this.admittedKeys.labels.push(dedupKey);
    this.noteRow("labels", row.kafka_topic, row.kafka_partition, row.kafka_offset);
  }

  addDeadLetter(row: DeadLetterRow, key: Buffer | null): void {
    this.deadLetters.push(row);
    this.dlqRecords.push(deadLetterRecord(row, key));
    this.noteRow("dead_letters", row.topic, row.partition, row.offset);
  }

  /** After a partition's records up to `lastOffset` were handled: commit `lastOffset + 1`. */
  advance(topic: string, partition: number, lastOffset: number): void {
    if (this.nextOffsets.size === 0) this.startedAt = Date.now();
    this.nextOffsets.set(`${topic}\u0000${partition}`, {
      topic,
      partition,
      offset: lastOffset + 1,
    });
  }

  /** Positions to commit once the batch is stored. */
  commitPositions(): TopicPartitionOffset[] {
    return [...this.nextOffsets.values()];
  }

  /** Highest stored offset per (table, partition) once the given table's insert succeeded. */
  highestOffsetsOf(table: IngestTable): TopicPartitionOffset[] {
    return [...this.highestOffsets.values()].filter((entry) => entry.table === table);
  }

  private noteRow(table: IngestTable, topic: string, partition: number, offset: number): void {
    const key = `${table}\u0000${topic}\u0000${partition}`;
    const entry = this.highestOffsets.get(key);
    if (entry === undefined || offset > entry.offset) {
      this.highestOffsets.set(key, { table, topic, partition, offset });
    }
  }
}
