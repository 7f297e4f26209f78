// One batch in the making: the rows bound for each table, the DLQ records, the dedup keys it
// admitted and, per partition, the offset to commit once every row is acknowledged.
import type { OutgoingRecord, TopicPartitionOffset } from "../kafka/types.js";
import type { InsertOptions } from "../store/engine.js";
import { encodeJsonEachRow } from "../store/json-each-row.js";
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
  private readonly nextOffsets = new Map<string, TopicPartitionOffset>();
  /** Highest offset per table and partition among this batch's rows. */
  private readonly highestOffsets = new Map<
    string,
    { table: IngestTable } & TopicPartitionOffset
  >();

  constructor(readonly buffers: BatchBuffers) {
    buffers.predictions.reset();
    buffers.labels.reset();
  }

  get rows(): number {
    return this.predictionRows + this.labelRows + this.deadLetters.length;
  }

  /** Nothing to insert and no position to commit. */
  get isEmpty(): boolean {
    return this.rows === 0 && this.nextOffsets.size === 0;
  }

  addPrediction(row: PredictionRow): void {
    this.buffers.predictions.writePrediction(row);
    this.predictionRows++;
    this.admitted.predictions.models.push(row.model);
    this.admitted.predictions.ids.push(row.event_id);
  }

  addLabel(row: LabelRow): void {
    this.buffers.labels.writeLabel(row);
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

  /** The insert of one table: its body and how it is encoded. */
  insertOf(table: IngestTable): { body: string | Buffer; options: InsertOptions } {
    switch (table) {
      case "predictions":
        return {
          body: this.buffers.predictions.bytes(),
          options: { format: "RowBinary", columns: PREDICTION_COLUMNS },
        };
      case "labels":
        return {
          body: this.buffers.labels.bytes(),
          options: { format: "RowBinary", columns: LABEL_COLUMNS },
        };
      case "dead_letters":
        // Rare and carrying raw payload bytes: JSONEachRow (bytes kept as they are).
        return { body: encodeJsonEachRow(this.deadLetters), options: {} };
    }
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

  /** Rows bound for `table` were added from `partition`, the highest at `offset`. */
  noteHighest(table: IngestTable, topic: string, partition: number, offset: number): void {
    const key = `${table}\u0000${topic}\u0000${partition}`;
    const entry = this.highestOffsets.get(key);
    if (entry === undefined || offset > entry.offset) {
      this.highestOffsets.set(key, { table, topic, partition, offset });
    }
  }

  /** Positions to commit once the batch is stored. */
  commitPositions(): TopicPartitionOffset[] {
    return [...this.nextOffsets.values()];
  }

  /** Highest offset per partition among the rows bound for `table`. */
  highestOffsetsOf(table: IngestTable): TopicPartitionOffset[] {
    return [...this.highestOffsets.values()].filter((entry) => entry.table === table);
  }
}
