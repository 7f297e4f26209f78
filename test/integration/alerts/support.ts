// Shared helpers of the alerts integration tests: a delivery context with an in-memory delivery
// log and a logger that captures its lines.
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import type { DeliveryContext } from "../../../alerts/pipeline/deliver.js";
import { DeliveryRecorder } from "../../../alerts/pipeline/record.js";
import type { RetryPolicy } from "../../../alerts/pipeline/retry.js";
import type { DeliveryLogRow } from "../../../alerts/store/delivery-log-store.js";
import { systemClock, type Clock } from "../../../alerts/time/clock.js";

export interface CapturedLog {
  readonly logger: Logger;
  readonly lines: Record<string, unknown>[];
  readonly text: () => string;
}

export function captureLog(): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString("utf8").split("\n"))
        if (line.trim() !== "") lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const logger = pino({ level: "debug" }, stream);
  return { logger, lines, text: () => lines.map((line) => JSON.stringify(line)).join("\n") };
}

export function memoryDelivery(
  policy: Partial<RetryPolicy> = {},
  extra: { clock?: Clock; logger?: Logger; signal?: AbortSignal } = {},
): { context: DeliveryContext; rows: DeliveryLogRow[]; recorder: DeliveryRecorder } {
  const rows: DeliveryLogRow[] = [];
  const recorder = new DeliveryRecorder({
    writer: { write: async (batch) => void rows.push(...batch) },
  });
  return {
    rows,
    recorder,
    context: {
      clock: extra.clock ?? systemClock,
      signal: extra.signal ?? new AbortController().signal,
      policy: {
        maxAttempts: 5,
        initialBackoffMs: 20,
        maxBackoffMs: 200,
        maxRetryAfterMs: 5_000,
        ...policy,
      },
      recorder,
      random: () => 0.5,
      ...(extra.logger !== undefined ? { logger: extra.logger } : {}),
    },
  };
}
