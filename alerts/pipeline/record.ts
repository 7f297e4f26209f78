// Pipeline stage "record": every delivery attempt becomes a row of the delivery log
// (driftwatch.notifications). Rows are buffered and written in batches — one insert per flush,
// never one per attempt; a failed write keeps the rows (bounded) for the next flush. Rows ClickHouse
// refuses for their content are isolated, logged and dropped: never retried forever.
import { insertIsolatingRejected } from "../../src/store/index.js";
import type { Logger } from "../../src/util/index.js";
import type { DeliveryLogRow, DeliveryLogWriter } from "../store/delivery-log-store.js";

export interface DeliveryRecorderOptions {
  readonly writer?: DeliveryLogWriter;
  readonly logger?: Logger;
  /** Flush as soon as this many rows wait (default 5000). */
  readonly maxBufferedRows?: number;
  /** Rows kept while ClickHouse is unavailable before the oldest are dropped (default 100 000). */
  readonly maxHeldRows?: number;
  /** Called with the number of rows ClickHouse refused (and that were dropped). */
  readonly onRefused?: (rows: number) => void;
  /** Sees every attempt row as it is recorded (with or without a writer). */
  readonly onRow?: (row: DeliveryLogRow) => void;
}

export class DeliveryRecorder {
  private buffer: DeliveryLogRow[] = [];
  private flushing: Promise<void> | undefined;
  private dropped = 0;

  constructor(private readonly options: DeliveryRecorderOptions) {}

  /** Queue one attempt row. */
  record(row: DeliveryLogRow): void {
    this.options.onRow?.(row);
    if (this.options.writer === undefined) return;
    this.buffer.push(row);
    if (this.buffer.length >= (this.options.maxBufferedRows ?? 5000)) void this.flush();
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Write every queued row in one insert. Never throws: failures are logged and retried later. */
  flush(): Promise<void> {
    if (this.flushing !== undefined)
      return this.flushing.then(() => (this.buffer.length > 0 ? this.flush() : undefined));
    if (this.buffer.length === 0 || this.options.writer === undefined) return Promise.resolve();
    const rows = this.buffer;
    this.buffer = [];
    const writer = this.options.writer;
    let settled = 0;
    this.flushing = insertIsolatingRejected(
      rows.length,
      async (from, to) => {
        await writer.write(rows.slice(from, to));
        settled = to;
      },
      ({ index, error }) => {
        settled = index + 1;
        const row = rows[index]!;
        this.options.onRefused?.(1);
        this.options.logger?.error(
          { notification: row.notificationId, integration: row.integration, err: error.message },
          "delivery log: ClickHouse refused a row for its content; it is not stored",
        );
      },
    )
      .catch((error: unknown) => {
        // Rows before `settled` are stored (or refused): only the rest is kept.
        const held = rows.slice(settled).concat(this.buffer);
        const limit = this.options.maxHeldRows ?? 100_000;
        if (held.length > limit) this.dropped += held.length - limit;
        this.buffer = held.slice(Math.max(0, held.length - limit));
        this.options.logger?.warn(
          {
            err: error instanceof Error ? error.message : String(error),
            rows: rows.length,
            dropped: this.dropped,
          },
          "delivery log: write failed; rows kept for the next flush",
        );
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }
}
