// Producing dead letters to the DLQ topic within the broker's limits. Records go out in chunks
// whose size stays under the topic's `max.message.bytes` (a record batch larger than that is
// refused whole). A record too large for the topic on its own goes as a truncated envelope
// (headers `truncated: true` and `original-bytes`); the table keeps the payload whole.
// Records the broker still refuses are sent alone, then as an empty envelope; one that cannot go
// at all is logged and counted, never retried forever (its dead_letters row holds everything).
import { KafkaRecordsRejectedError, type OutgoingRecord, type Producer } from "../kafka/index.js";
import type { Logger } from "../util/index.js";

/** Kafka's default `max.message.bytes`, assumed when the topic's is unknown. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
/** Bytes of a record batch beyond its records (v2 format header). */
const BATCH_OVERHEAD = 61;
/** Upper bound of a record's framing (length, attributes, deltas, counts as varints). */
const RECORD_OVERHEAD = 24;
/** Per header, beyond its name and value bytes. */
const HEADER_OVERHEAD = 10;
/** Slack kept below the limit for estimates that are off by a little. */
const SAFETY_MARGIN = 1_024;

function byteLength(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === "string" ? Buffer.byteLength(value) : value.length;
}

/** Upper bound of `record`'s size inside a record batch. */
export function recordSize(record: OutgoingRecord): number {
  let size = RECORD_OVERHEAD + byteLength(record.key) + byteLength(record.value);
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    size += HEADER_OVERHEAD + Buffer.byteLength(name) + byteLength(value);
  }
  return size;
}

/** The record with its value cut so that the whole fits in `budget` bytes, flagged as cut. */
export function truncatedEnvelope(record: OutgoingRecord, budget: number): OutgoingRecord {
  const value = typeof record.value === "string" ? Buffer.from(record.value) : record.value;
  const headers: Record<string, string | Buffer> = {
    ...record.headers,
    truncated: "true",
    "original-bytes": String(value.length),
  };
  let envelope: OutgoingRecord = { ...record, value: Buffer.alloc(0), headers };
  if (recordSize(envelope) > budget) {
    // Even the headers and key do not fit: keep the position headers only.
    const kept: Record<string, string | Buffer> = {};
    for (const name of ["reason", "original-topic", "original-partition", "original-offset"]) {
      const header = headers[name];
      if (header !== undefined) kept[name] = header;
    }
    kept.truncated = "true";
    kept["original-bytes"] = String(value.length);
    envelope = { key: null, value: Buffer.alloc(0), headers: kept, partition: record.partition };
  }
  const room = Math.max(0, budget - recordSize(envelope));
  return { ...envelope, value: value.subarray(0, Math.min(room, value.length)) };
}

export interface DeadLetterSenderOptions {
  readonly producer: Producer;
  readonly topic: string;
  /** The DLQ topic's max.message.bytes. */
  readonly maxMessageBytes: number;
  readonly logger: Logger;
  /** Called once per record sent truncated, and per record that could not be sent at all. */
  readonly onTruncated?: () => void;
  readonly onUnsendable?: () => void;
}

export class DeadLetterSender {
  private readonly budget: number;

  constructor(private readonly options: DeadLetterSenderOptions) {
    this.budget = Math.max(1_024, options.maxMessageBytes - BATCH_OVERHEAD - SAFETY_MARGIN);
  }

  /** Largest record (and chunk) size sent, in bytes. */
  get chunkBytes(): number {
    return this.budget;
  }

  /**
   * Send every record. Rejects only with errors worth retrying later (broker unavailable);
   * records the broker refuses are reduced until they go or are given up with a log line.
   */
  async send(records: readonly OutgoingRecord[]): Promise<void> {
    for (const chunk of this.chunks(records)) {
      try {
        await this.options.producer.send(this.options.topic, chunk);
      } catch (error) {
        if (!(error instanceof KafkaRecordsRejectedError)) throw error;
        this.options.logger.warn(
          { err: error.message, records: chunk.length },
          "DLQ topic refused a chunk; sending its records one by one",
        );
        for (const record of chunk) await this.sendAlone(record);
      }
    }
  }

  /** Records in order, grouped so that each group's size stays under the budget. */
  private *chunks(records: readonly OutgoingRecord[]): Generator<OutgoingRecord[]> {
    let chunk: OutgoingRecord[] = [];
    let bytes = 0;
    for (const original of records) {
      let record = original;
      let size = recordSize(record);
      if (size > this.budget) {
        record = truncatedEnvelope(record, this.budget);
        size = recordSize(record);
        this.options.onTruncated?.();
      }
      if (chunk.length > 0 && bytes + size > this.budget) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(record);
      bytes += size;
    }
    if (chunk.length > 0) yield chunk;
  }

  private async sendAlone(record: OutgoingRecord): Promise<void> {
    const attempts = [record, truncatedEnvelope(record, 0)];
    for (const [index, attempt] of attempts.entries()) {
      try {
        await this.options.producer.send(this.options.topic, [attempt]);
        if (index > 0) this.options.onTruncated?.();
        return;
      } catch (error) {
        if (!(error instanceof KafkaRecordsRejectedError)) throw error;
      }
    }
    this.options.onUnsendable?.();
    this.options.logger.error(
      { topic: this.options.topic, headers: record.headers },
      "DLQ topic refused a dead letter even as an empty envelope; it is kept in the dead_letters table only",
    );
  }
}
