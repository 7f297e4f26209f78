// Writes one batch durably, then commits its offsets: DLQ records to the DLQ topic, then one
// INSERT per table (dead_letters, predictions, labels). Failed steps are retried with exponential
// backoff and jitter until they succeed or the batch is abandoned (rebalance, shutdown deadline);
// the first failure pauses consumption and the first success after failures resumes it.
import { setTimeout as sleep } from "node:timers/promises";
import type { ConsumerGroup, Producer } from "../kafka/types.js";
import type { IngestMetrics } from "../metrics/ingest-metrics.js";
import type { SqlEngine } from "../store/engine.js";
import { qualifiedName } from "../store/database.js";
import type { Logger } from "../util/logger.js";
import { backoffDelayMs, type BackoffPolicy } from "./backoff.js";
import type { PendingBatch } from "./pending-batch.js";
import type { IngestTable } from "./rows.js";
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
  readonly producer: Producer;
  readonly dlqTopic: string;
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

const TABLE_ORDER: readonly IngestTable[] = ["dead_letters", "predictions", "labels"];

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
    const { metrics, positions } = this.deps;
    if (batch.dlqRecords.length > 0) {
      await this.untilDone("dlq_topic", abandon, () =>
        this.deps.producer.send(this.deps.dlqTopic, batch.dlqRecords),
      );
    }
    for (const table of TABLE_ORDER) {
      const rows = batch.rowCount(table);
      if (rows === 0) continue;
      const { body, options } = batch.insertOf(table);
      const highest = batch.highestOffsetsOf(table);
      const target = qualifiedName(this.deps.database, table);
      await this.untilDone(table, abandon, async (retry) => {
        // A failed attempt may still have been applied (reply lost): then it is not sent again.
        if (retry && (await positions.covers(table, highest))) return;
        await this.deps.engine.insertJsonEachRow(target, body, options);
      });
      metrics.rowsInserted.labels(table).inc(rows);
      for (const { topic, partition, offset } of highest) {
        positions.markStored(table, topic, partition, offset);
      }
    }
    for (const row of batch.deadLetters) metrics.deadLettered.labels(row.reason).inc();
    let outcome: WriteOutcome = "committed";
    try {
      await this.deps.consumer.commit(batch.commitPositions());
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
        this.deps.metrics.writeFailures.labels(target).inc();
        if (!this.failing) {
          this.failing = true;
          this.deps.metrics.paused.set(1);
          this.deps.onFailing();
        }
        const delay = backoffDelayMs(this.deps.backoff, failures);
        const log = failures === 0 || failures % 10 === 0 ? "warn" : "debug";
        this.deps.logger[log](
          { err: error, target, failures: failures + 1, retryInMs: delay },
          "write failed; consumption paused, retrying with backoff",
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
