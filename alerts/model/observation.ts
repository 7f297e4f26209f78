// The engine's input: one batch of evaluation results for one model and window, as the monitor
// produces them. This is the narrow seam between the monitoring engine and the alert engine.

export {
  OBSERVATION_KINDS,
  RESULT_KINDS,
  SERVICE_MODEL,
  type ObservationKind,
  type ResultKind,
} from "../../src/config/index.js";
import type { ObservationKind } from "../../src/config/index.js";

/** Well-known health metrics the monitor reports (kind "health"). */
export const HEALTH_METRICS = [
  "ingest_lag_seconds",
  "dead_letter_rate",
  "evaluation_failures",
  "evaluation_age_seconds",
] as const;

/** Performance metrics where a larger value is worse (their decay is value − reference). */
export const LOWER_IS_BETTER_METRICS: ReadonlySet<string> = new Set([
  "log_loss",
  "mae",
  "rmse",
  "mape",
  "mse",
]);

/** One measured value. */
export interface Observation {
  readonly kind: ObservationKind;
  /** e.g. "psi", "drift_share", "missing_share", "row_count", "accuracy", "ingest_lag_seconds". */
  readonly metric: string;
  /** The feature it is about; absent for model-level results. */
  readonly feature?: string;
  readonly value: number;
  /** The detector's own threshold, used when a rule states none. */
  readonly threshold?: number;
  /** The detector's own verdict, used when a rule states no threshold. */
  readonly drifted?: boolean;
  /** Performance: the reference window's value of the same metric. */
  readonly referenceValue?: number;
  /** Performance: labelled rows the value rests on. */
  readonly nLabelled?: number;
  readonly pValue?: number;
}

/** All results of one evaluation of one model over one window. Times are epoch milliseconds. */
export interface ResultBatch {
  readonly model: string;
  readonly modelVersion?: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly observations: readonly Observation[];
}
