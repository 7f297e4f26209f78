// Writes one batch durably, then commits its offsets: DLQ records to the DLQ topic (in chunks under
// the topic's size limit), then one INSERT per table (dead_letters, predictions, labels).
//
// Failures are told apart (src/store/errors.ts):
// - an outage (connection, timeout, overload, memory) or a refused statement (schema, credentials)
//   is retried with exponential backoff and jitter until it succeeds or the batch is abandoned
//   (rebalance, shutdown deadline); the first failure pauses consumption, the first success
//   after failures resumes it;
// - rows the server refuses (parse, type, size, check) are never retried: the insert is split
//   until the refused rows stand alone (src/store/isolate-rejected.ts); each is dead-lettered
//   with reason `store_rejected` and the server's message, the rest is stored, and the batch
//   is committed. Rows are stored in offset order, so the stored positions stay exact.
import { testHook, testHooksActive, type Logger, storedText } from "../util/index.js";
import { setTimeout as sleep } from "node:timers/promises";
import type { ConsumerGroup } from "../kafka/index.js";
import type { IngestMetrics } from "./ingest-metrics.js";
import {
  type SqlEngine,
  qualifiedName,
  isOutage,
  rejectsRows,
  type ClickHouseError,
  insertIsolatingRejected,
  type RejectedRow,
} from "../store/index.js";
import { backoffDelayMs, type BackoffPolicy } from "./backoff.js";
import type { DeadLetterSender } from "./dlq-sender.js";
import { deadLetterRecord, type PendingBatch } from "./pending-batch.js";
import type { DeadLetterRow, IngestTable } from "./rows.js";
import type { StoredPositions } from "./stored-positions.js";

/** Thrown when a batch stops being retried; whatever was not stored will be redelivered. */
export class BatchAbandonedError extends Error {
  constructor(readonly target: string) {
    super(`batch abandoned while writing ${target}`);
    this.name = "BatchAbandonedError";
  }
}

export interface BatchWriterDependencies {
  readonly engine: SqlEngine;
  readonly database: string;
  readonly dlq: DeadLetterSender;
  readonly consumer: ConsumerGroup;
  readonly positions: StoredPositions;
  readonly metrics: IngestMetrics;
  readonly backoff: BackoffPolicy;
  readonly logger: Logger;
  /** Writes are failing: stop fetching. */
  readonly onFailing: () => void;
  /** Writes succeed again after failures: fetch again. */
  readonly onRecovered: () => void;
}

/** What happened to a batch's offsets after its rows were stored. */
export type WriteOutcome = "committed" | "commit_failed";

/** How a failed write attempt counts in driftwatch_ingest_write_failures_total{kind}. */
export type WriteFailureKind = "outage" | "rows" | "refused";

const TABLE_ORDER: readonly IngestTable[] = ["dead_letters", "predictions", "labels"];

/** Longest server message kept in a store_rejected detail (code points). */
const MAX_REJECTION_DETAIL = 1_000;

function failureKind(error: unknown): WriteFailureKind {
  if (rejectsRows(error)) return "rows";
  if (isOutage(error)) return "outage";
  // A Kafka error (the DLQ topic) or a network failure below the store: worth retrying.
  return (error as { kind?: unknown }).kind === "refused" ? "refused" : "outage";
}

export class BatchWriter {
  private failing = false;

  constructor(private readonly deps: BatchWriterDependencies) {}

  /** Whether the last write attempt failed (readiness). */
  get isFailing(): boolean {
    return this.failing;
  }

  /**
   * Store `batch` and commit its offsets. Rejects with BatchAbandonedError when `abandon` fires
   * while a step is failing; an attempt already on the wire is allowed to finish first.
   */
  async write(batch: PendingBatch, abandon: AbortSignal): Promise<WriteOutcome> {
    const started = performance.now();
    const { metrics } = this.deps;
    if (batch.dlqRecords.length > 0) {
      await this.untilDone("dlq_topic", abandon, () => this.deps.dlq.send(batch.dlqRecords));
    }
    for (const table of TABLE_ORDER) {
      const rows = batch.rowCount(table);
      if (rows === 0) continue;
      await insertIsolatingRejected(
        rows,
        (from, to) => this.storeRange(batch, table, from, to, abandon),
        (rejected) => this.rowRefused(batch, table, rejected, abandon),
      );
    }
    for (const row of batch.deadLetters) metrics.deadLettered.labels(row.reason).inc();
    if (testHooksActive) await testHook("ingest.stored");
    let outcome: WriteOutcome = "committed";
    try {
      await this.deps.consumer.commit(batch.commitPositions());
      if (testHooksActive) await testHook("ingest.committed");
    } catch (error) {
      // The rows are stored and their positions recorded: a redelivery is skipped, not re-inserted.
      outcome = "commit_failed";
      metrics.commitFailures.inc();
      this.deps.logger.warn({ err: error }, "offset commit failed; stored positions cover it");
    }
    metrics.batchDuration.observe((performance.now() - started) / 1000);
    metrics.batchRows.observe(batch.messages);
    return outcome;
  }

  /** Insert rows [from, to) of `table` (retrying outages); row rejections propagate. */
  private async storeRange(
    batch: PendingBatch,
    table: IngestTable,
    from: number,
    to: number,
    abandon: AbortSignal,
  ): Promise<void> {
    const { body, options } = batch.insertOf(table, from, to);
    const highest = batch.highestOffsetsOf(table, from, to);
    const target = qualifiedName(this.deps.database, table);
    await this.untilDone(table, abandon, async (retry) => {
      // A failed attempt may still have been applied (reply lost): then it is not sent again.
      if (retry && (await this.deps.positions.covers(table, highest))) return;
      if (testHooksActive) await testHook("ingest.inserting");
      await this.deps.engine.insertJsonEachRow(target, body, options);
    });
    this.deps.metrics.rowsInserted.labels(table).inc(to - from);
    for (const { topic, partition, offset } of highest) {
      this.deps.positions.markStored(table, topic, partition, offset);
    }
  }

  /** The server refused one row: dead-letter it (or, for a dead letter, keep what can be kept). */
  private async rowRefused(
    batch: PendingBatch,
    table: IngestTable,
    { index, error }: RejectedRow,
    abandon: AbortSignal,
  ): Promise<void> {
    const message = `ClickHouse refused this row of ${table}: ${error.message}`;
    if (table === "dead_letters") {
      const original = batch.deadLetters[index]!;
      await this.storeDeadLetterWithoutPayload(original, error, abandon);
      return;
    }
    const origin = batch.originOf(table, index);
    const row: DeadLetterRow = {
      received_at: Math.floor(Date.now() / 1000),
      topic: origin.topic,
      partition: origin.partition,
      offset: origin.offset,
      reason: "store_rejected",
      detail: storedText(message, MAX_REJECTION_DETAIL),
      raw: origin.record.value ?? Buffer.alloc(0),
      key: origin.record.key ?? Buffer.alloc(0),
    };
    this.deps.logger.warn(
      { table, topic: row.topic, partition: row.partition, offset: row.offset, err: error.message },
      "ClickHouse refused a row; dead-lettered as store_rejected, the rest of the batch goes on",
    );
    const record = deadLetterRecord(row, origin.record.key);
    await this.untilDone("dlq_topic", abandon, () => this.deps.dlq.send([record]));
    await insertIsolatingRejected(
      1,
      () => this.storeDeadLetters([row], abandon),
      (again) => this.storeDeadLetterWithoutPayload(row, again.error, abandon),
    );
    this.deps.metrics.deadLettered.labels("store_rejected").inc();
  }

  /** Insert dead-letter rows (already sent to the topic) and record their positions. */
  private async storeDeadLetters(rows: DeadLetterRow[], abandon: AbortSignal): Promise<void> {
    const target = qualifiedName(this.deps.database, "dead_letters");
    await this.untilDone("dead_letters", abandon, () => this.deps.engine.insert(target, rows));
    this.deps.metrics.rowsInserted.labels("dead_letters").inc(rows.length);
    for (const row of rows) {
      this.deps.positions.markStored("dead_letters", row.topic, row.partition, row.offset);
    }
  }

  /**
   * A dead letter the server refuses as it is: store it without its payload (the DLQ topic has
   * the payload), and if even that is refused, log and count it.
   */
  private async storeDeadLetterWithoutPayload(
    row: DeadLetterRow,
    error: ClickHouseError,
    abandon: AbortSignal,
  ): Promise<void> {
    const stripped: DeadLetterRow = {
      ...row,
      detail: storedText(
        `${row.detail} | payload of ${row.raw.length} bytes not stored: ${error.message}`,
        MAX_REJECTION_DETAIL,
      ),
      raw: Buffer.alloc(0),
      key: Buffer.alloc(0),
    };
    this.deps.metrics.deadLettersWithoutPayload.inc();
    await insertIsolatingRejected(
      1,
      () => this.storeDeadLetters([stripped], abandon),
      (again) => {
        this.deps.metrics.deadLettersUnstored.inc();
        this.deps.logger.error(
          {
            topic: row.topic,
            partition: row.partition,
            offset: row.offset,
            reason: row.reason,
            err: again.error.message,
          },
          "ClickHouse refused a dead letter even without its payload; it is on the DLQ topic only",
        );
      },
    );
  }

  private async untilDone(
    target: string,
    abandon: AbortSignal,
    attempt: (retry: boolean) => Promise<void>,
  ): Promise<void> {
    for (let failures = 0; ; failures++) {
      if (failures > 0 && abandon.aborted) throw new BatchAbandonedError(target);
      try {
        await attempt(failures > 0);
        if (this.failing) {
          this.failing = false;
          this.deps.metrics.paused.set(0);
          this.deps.logger.info(
            { target, failures },
            "write succeeded again; resuming consumption",
          );
          this.deps.onRecovered();
        }
        return;
      } catch (error) {
        const kind = failureKind(error);
        this.deps.metrics.writeFailures.labels(target, kind).inc();
        // Rows the server refuses are isolated by the caller: retrying them cannot help.
        if (kind === "rows") throw error;
        if (!this.failing) {
          this.failing = true;
          this.deps.metrics.paused.set(1);
          this.deps.onFailing();
        }
        const delay = backoffDelayMs(this.deps.backoff, failures);
        const level =
          kind === "refused" ? "error" : failures === 0 || failures % 10 === 0 ? "warn" : "debug";
        this.deps.logger[level](
          { err: error, target, kind, failures: failures + 1, retryInMs: delay },
          kind === "refused"
            ? "ClickHouse refused the statement (schema, credentials or config?); consumption paused, retrying with backoff"
            : "write failed; consumption paused, retrying with backoff",
        );
        try {
          await sleep(delay, undefined, { signal: abandon });
        } catch {
          throw new BatchAbandonedError(target);
        }
      }
    }
  }
}
