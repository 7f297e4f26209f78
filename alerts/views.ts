// JSON shapes the API and CLI show for alerts and silences (times as ISO 8601 text).
import type { AlertState } from "./model/alert.js";
import { silenceStatus, type Silence, type SilenceStatus } from "./silences/silence.js";
import type { MatcherSpec } from "../src/util/index.js";
import { alertSummary } from "./templates/format.js";

export interface AlertView {
  readonly rule: string;
  readonly fingerprint: string;
  readonly state: string;
  readonly severity: string;
  readonly model: string;
  readonly feature: string | null;
  readonly metric: string;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly summary: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly features: readonly string[];
  readonly modelVersion: string | null;
  readonly activeAt: string | null;
  readonly firedAt: string | null;
  readonly resolvedAt: string | null;
  readonly lastSentAt: string | null;
  readonly windowStart: string | null;
  readonly windowEnd: string | null;
}

export interface SilenceView {
  readonly id: string;
  readonly status: SilenceStatus;
  readonly matchers: readonly MatcherSpec[];
  readonly startsAt: string;
  readonly endsAt: string;
  readonly createdBy: string;
  readonly comment: string;
  readonly createdAt: string;
}

const iso = (ms: number | undefined): string | null =>
  ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

export function alertView(alert: AlertState): AlertView {
  return {
    rule: alert.rule,
    fingerprint: alert.fingerprint,
    state: alert.state,
    severity: alert.labels.severity ?? "",
    model: alert.labels.model ?? "",
    feature: alert.labels.feature ?? null,
    metric: alert.labels.metric ?? "",
    value: finite(alert.value),
    threshold: finite(alert.threshold),
    summary: alertSummary(alert),
    labels: alert.labels,
    annotations: alert.annotations,
    features: alert.features,
    modelVersion: alert.modelVersion ?? null,
    activeAt: iso(alert.activeAt),
    firedAt: iso(alert.firedAt),
    resolvedAt: iso(alert.resolvedAt),
    lastSentAt: iso(alert.lastSentAt),
    windowStart: iso(alert.windowStart),
    windowEnd: iso(alert.windowEnd),
  };
}

export function silenceView(silence: Silence, now: number): SilenceView {
  return {
    id: silence.id,
    status: silenceStatus(silence, now),
    matchers: silence.matchers,
    startsAt: new Date(silence.startsAt).toISOString(),
    endsAt: new Date(silence.endsAt).toISOString(),
    createdBy: silence.createdBy,
    comment: silence.comment,
    createdAt: new Date(silence.createdAt).toISOString(),
  };
}
