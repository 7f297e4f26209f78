// One batch in the making: the rows bound for each table (with where each came from, so a row the
// server refuses can be dead-lettered with its original bytes), the DLQ records, the dedup keys
// it admitted and, per partition, the offset to commit once every row is acknowledged.
import type { KafkaRecord, OutgoingRecord, TopicPartitionOffset } from "../kafka/index.js";
import { type InsertOptions, encodeJsonEachRow } from "../store/index.js";
import type { EventKey } from "./dedup-window.js";
import { LABEL_COLUMNS, PREDICTION_COLUMNS, RowBinaryWriter } from "./row-binary.js";
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

/** The RowBinary buffers one batch fills; reused from batch to batch (see Ingester). */
export interface BatchBuffers {
  readonly predictions: RowBinaryWriter;
  readonly labels: RowBinaryWriter;
}

/**
 * Buffers sized for `expectedRows` up front: memory is only committed as it is written, and a
 * buffer that never grows leaves no discarded copies behind for the garbage collector.
 */
export function createBatchBuffers(expectedRows = 1_000): BatchBuffers {
  return {
    predictions: new RowBinaryWriter(expectedRows * PREDICTION_ROW_BYTES),
    labels: new RowBinaryWriter(expectedRows * LABEL_ROW_BYTES),
  };
}

/** Generous per-row sizes (a 20-feature prediction row is ~350 bytes, a label row ~60). */
const PREDICTION_ROW_BYTES = 640;
const LABEL_ROW_BYTES = 128;

/** Where each row of one table came from, as parallel lists (no object per row). */
class RowSources {
  readonly topics: string[] = [];
  readonly partitions: number[] = [];
  /** The consumed records (their payload bytes, for dead-lettering a refused row). */
  readonly records: KafkaRecord[] = [];
  /** Byte offset in the encoded body where each row ends. */
  readonly ends: number[] = [];

  add(topic: string, partition: number, record: KafkaRecord, end: number): void {
    this.topics.push(topic);
    this.partitions.push(partition);
    this.records.push(record);
    this.ends.push(end);
  }

  /** Highest offset per partition among rows [from, to). */
  highest(from: number, to: number): TopicPartitionOffset[] {
    const byPartition = new Map<string, TopicPartitionOffset>();
    for (let index = from; index < to; index++) {
      const topic = this.topics[index]!;
      const partition = this.partitions[index]!;
      const offset = this.records[index]!.offset;
      const key = `${topic}\u0000${partition}`;
      const entry = byPartition.get(key);
      if (entry === undefined || offset > entry.offset) {
        byPartition.set(key, { topic, partition, offset });
      }
    }
    return [...byPartition.values()];
  }
}

/** A row of the batch as the writer sees it when the server refuses it. */
export interface RowOrigin extends TopicPartitionOffset {
  readonly record: KafkaRecord;
}

/**
 * Rows are encoded (RowBinary) as they arrive: the row objects die young, which keeps the garbage
 * collector cheap, and the insert body is ready when the batch is due.
 */
export class PendingBatch {
  predictionRows = 0;
  labelRows = 0;
  readonly deadLetters: DeadLetterRow[] = [];
  readonly dlqRecords: OutgoingRecord[] = [];
  /** Events admitted to the dedup windows for this batch's rows (parallel model / id lists). */
  private readonly admitted = {
    predictions: { models: [] as string[], ids: [] as string[] },
    labels: { models: [] as string[], ids: [] as string[] },
  };
  /** Messages consumed into this batch (rows, dead letters and skipped ones). */
  messages = 0;
  /** When the first message came in (epoch ms); the batch is due batchMaxWaitMs later. */
  startedAt = Number.POSITIVE_INFINITY;
  /** Payload bytes of the dead letters (the other tables' bytes are their encoded bodies). */
  private deadLetterBytes = 0;
  private readonly nextOffsets = new Map<string, TopicPartitionOffset>();
  private readonly sources = { predictions: new RowSources(), labels: new RowSources() };

  constructor(readonly buffers: BatchBuffers) {
    buffers.predictions.reset();
    buffers.labels.reset();
  }

  get rows(): number {
    return this.predictionRows + this.labelRows + this.deadLetters.length;
  }

  /** Bytes the batch's inserts will carry (for ingest.batchMaxBytes). */
  get bytes(): number {
    return (
      this.buffers.predictions.byteLength + this.buffers.labels.byteLength + this.deadLetterBytes
    );
  }

  /** Nothing to insert and no position to commit. */
  get isEmpty(): boolean {
    return this.rows === 0 && this.nextOffsets.size === 0;
  }

  addPrediction(row: PredictionRow, topic: string, partition: number, record: KafkaRecord): void {
    this.buffers.predictions.writePrediction(row);
    this.sources.predictions.add(topic, partition, record, this.buffers.predictions.byteLength);
    this.predictionRows++;
    this.admitted.predictions.models.push(row.model);
    this.admitted.predictions.ids.push(row.event_id);
  }

  addLabel(row: LabelRow, topic: string, partition: number, record: KafkaRecord): void {
    this.buffers.labels.writeLabel(row);
    this.sources.labels.add(topic, partition, record, this.buffers.labels.byteLength);
    this.labelRows++;
    this.admitted.labels.models.push(row.model);
    this.admitted.labels.ids.push(row.event_id);
  }

  /** The events this batch admitted to a dedup window (to forget them if it is abandoned). */
  *admittedEvents(table: "predictions" | "labels"): Generator<EventKey> {
    const { models, ids } = this.admitted[table];
    for (let index = 0; index < models.length; index++) {
      yield { model: models[index]!, eventId: ids[index]! };
    }
  }

  addDeadLetter(row: DeadLetterRow, key: Buffer | null): void {
    this.deadLetters.push(row);
    this.dlqRecords.push(deadLetterRecord(row, key));
    this.deadLetterBytes += row.raw.length + row.detail.length + 64;
  }

  /** Rows bound for `table`. */
  rowCount(table: IngestTable): number {
    switch (table) {
      case "predictions":
        return this.predictionRows;
      case "labels":
        return this.labelRows;
      case "dead_letters":
        return this.deadLetters.length;
    }
  }

  /** The insert of rows [from, to) of one table (all of them by default). */
  insertOf(
    table: IngestTable,
    from = 0,
    to = this.rowCount(table),
  ): { body: string | Buffer; options: InsertOptions } {
    switch (table) {
      case "predictions":
        return {
          body: this.slice(this.buffers.predictions.bytes(), this.sources.predictions, from, to),
          options: { format: "RowBinary", columns: PREDICTION_COLUMNS },
        };
      case "labels":
        return {
          body: this.slice(this.buffers.labels.bytes(), this.sources.labels, from, to),
          options: { format: "RowBinary", columns: LABEL_COLUMNS },
        };
      case "dead_letters":
        // Rare and carrying raw payload bytes: JSONEachRow (bytes kept as they are).
        return { body: encodeJsonEachRow(this.deadLetters.slice(from, to)), options: {} };
    }
  }

  /** Where row `index` of `table` came from. */
  originOf(table: "predictions" | "labels", index: number): RowOrigin {
    const sources = this.sources[table];
    const record = sources.records[index]!;
    return {
      topic: sources.topics[index]!,
      partition: sources.partitions[index]!,
      offset: record.offset,
      record,
    };
  }

  private slice(bytes: Buffer, sources: RowSources, from: number, to: number): Buffer {
    const start = from === 0 ? 0 : sources.ends[from - 1]!;
    const end = to === 0 ? 0 : sources.ends[to - 1]!;
    return bytes.subarray(start, end);
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

  /** Highest offset per partition among rows [from, to) bound for `table`. */
  highestOffsetsOf(
    table: IngestTable,
    from = 0,
    to = this.rowCount(table),
  ): TopicPartitionOffset[] {
    if (table !== "dead_letters") return this.sources[table].highest(from, to);
    const byPartition = new Map<string, TopicPartitionOffset>();
    for (const row of this.deadLetters.slice(from, to)) {
      const key = `${row.topic}\u0000${row.partition}`;
      const entry = byPartition.get(key);
      if (entry === undefined || row.offset > entry.offset) {
        byPartition.set(key, { topic: row.topic, partition: row.partition, offset: row.offset });
      }
    }
    return [...byPartition.values()];
  }
}
