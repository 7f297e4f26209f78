// The state of one alert instance, i.e. one (rule, label set): what the state machine keeps
// between evaluations and what is persisted in driftwatch.alerts. Times are epoch milliseconds.
import type { Labels } from "./labels.js";

export const ALERT_STATES = ["inactive", "pending", "firing", "resolved"] as const;
export type AlertStateName = (typeof ALERT_STATES)[number];

export interface AlertState {
  readonly rule: string;
  readonly fingerprint: string;
  readonly labels: Labels;
  readonly state: AlertStateName;
  /** First breaching window of the current episode (pending or firing). */
  readonly activeAt?: number;
  readonly firedAt?: number;
  readonly resolvedAt?: number;
  /** When the condition first cleared while the alert kept firing (keepFiringFor). */
  readonly keepFiringSince?: number;
  /** Last time a firing notification of this alert was delivered to every receiver. */
  readonly lastSentAt?: number;
  /** When its resolve notification was delivered (or found unnecessary). */
  readonly resolveSentAt?: number;
  /** Consecutive breaching windows so far. */
  readonly breachingWindows: number;
  /** Consecutive clear windows while firing (for keepFiringFor). */
  readonly clearWindows: number;
  /** End of the last window counted, so a re-delivered batch never counts twice. */
  readonly lastWindowEnd?: number;
  readonly windowStart?: number;
  readonly windowEnd?: number;
  readonly modelVersion?: string;
  readonly value: number;
  /** The threshold the value was compared with (NaN when the detector's verdict was used). */
  readonly threshold: number;
  /** Expanded annotations (summary, description, runbookUrl). */
  readonly annotations: Readonly<Record<string, string>>;
  /** For model-level alerts: the features that drifted in the same window. */
  readonly features: readonly string[];
  readonly updatedAt: number;
}

/** What changed in one evaluation. */
export type AlertTransition = "pending" | "firing" | "resolved" | "inactive";

export function isActive(alert: AlertState): boolean {
  return alert.state === "pending" || alert.state === "firing";
}
