// Where evaluated windows and self-health go besides ClickHouse and /metrics: the process wires
// a sink (src/service feeds them to the alert engine when it runs here); the monitor only emits.
import type { ResultBatch } from "../../alerts/index.js";

export interface EvaluationSink {
  /** The results of one evaluated window (scheduled, or asked for through the API or CLI). */
  window(batch: ResultBatch): void;
  /** The self-health batches of one scheduler tick (a model each, and `_driftwatch`). */
  health(batches: readonly ResultBatch[]): void;
  /** Notifications that failed for good recently (self-health), when something delivers them. */
  notificationFailures?(now: number): number;
}

/** A sink that drops everything (a CLI command that only reads, a test without alerts). */
export const NO_SINK: EvaluationSink = { window: () => undefined, health: () => undefined };
