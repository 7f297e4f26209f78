// Running retention periodically inside `serve`: one pass now and then every interval. A failed
// pass is logged and counted, never thrown; the next pass simply tries again.
import type { RetainedTable } from "../config/index.js";
import type { Logger } from "../util/index.js";
import type { SqlEngine } from "./engine.js";
import { applyRetention, type DroppedPartition } from "./retention.js";

export interface RetentionSchedule {
  /** Run one pass now (also what the timer calls); resolves with what it dropped, [] on failure. */
  runNow(): Promise<DroppedPartition[]>;
  /** Stop the timer; waits for a pass in progress. */
  stop(): Promise<void>;
  /** Passes that failed since start (for a metric). */
  readonly failures: number;
}

export function scheduleRetention(options: {
  readonly engine: SqlEngine;
  readonly config: {
    readonly clickhouse: { readonly database: string };
    readonly retention: Readonly<Partial<Record<RetainedTable, number>>>;
  };
  readonly logger: Logger;
  /** Default: hourly. */
  readonly intervalMs?: number;
  readonly now?: () => Date;
}): RetentionSchedule {
  const now = options.now ?? (() => new Date());
  let running: Promise<DroppedPartition[]> | undefined;
  let failures = 0;

  const runNow = (): Promise<DroppedPartition[]> => {
    running ??= applyRetention(options.engine, options.config, now(), options.logger)
      .catch((error: unknown) => {
        failures += 1;
        options.logger.error(
          { err: error },
          "retention pass failed; will retry at the next interval",
        );
        return [];
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const timer = setInterval(() => void runNow(), options.intervalMs ?? 3_600_000);
  timer.unref();
  void runNow();

  return {
    runNow,
    async stop() {
      clearInterval(timer);
      await running;
    },
    get failures() {
      return failures;
    },
  };
}
