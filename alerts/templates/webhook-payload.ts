// JSON bodies of driftwatch's own webhooks, versioned ("version": "1"): alert notifications for
// webhook receivers and retrain requests for retrain actions. Field names are snake_case and
// stable; new fields may be added, none removed without a version change.
import type { AlertState } from "../model/alert.js";
import {
  notificationStatus,
  type Notification,
  type RenderSettings,
} from "../model/notification.js";
import type { RetrainRequest } from "../model/retrain-request.js";
import { alertsDashboardLink } from "./dashboard-link.js";
import { notificationTitle } from "./summary.js";

export const PAYLOAD_VERSION = "1";

const iso = (ms: number | undefined): string | null =>
  ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

export function alertPayload(alert: AlertState, settings: RenderSettings): Record<string, unknown> {
  return {
    status: alert.state === "resolved" ? "resolved" : "firing",
    rule: alert.rule,
    fingerprint: alert.fingerprint,
    labels: alert.labels,
    annotations: alert.annotations,
    value: finite(alert.value),
    threshold: finite(alert.threshold),
    model_version: alert.modelVersion ?? null,
    features: alert.features,
    active_at: iso(alert.activeAt),
    fired_at: iso(alert.firedAt),
    resolved_at: iso(alert.resolvedAt),
    window_start: iso(alert.windowStart),
    window_end: iso(alert.windowEnd),
    dashboard_url: alertsDashboardLink(settings, [alert]) ?? null,
  };
}

export function notificationPayload(
  notification: Notification,
  settings: RenderSettings,
): Record<string, unknown> {
  return {
    version: PAYLOAD_VERSION,
    kind: "alert",
    notification_id: notification.id,
    status: notificationStatus(notification),
    title: notificationTitle(notification),
    receiver: notification.receiver,
    group_key: notification.groupKey,
    group_labels: notification.groupLabels,
    repeat: notification.repeat,
    sent_at: iso(notification.createdAt),
    alerts: [
      ...notification.firing.map((alert) => alertPayload(alert, settings)),
      ...notification.resolved.map((alert) => ({
        ...alertPayload(alert, settings),
        status: "resolved",
      })),
    ],
  };
}

/** The retrain request as driftwatch's generic webhook sends it (and presets embed it). */
export function retrainPayload(request: RetrainRequest): Record<string, unknown> {
  return {
    version: PAYLOAD_VERSION,
    kind: "retrain",
    request_id: request.id,
    model: request.model,
    model_version: request.modelVersion ?? null,
    source: request.source,
    reason: request.reason,
    requested_at: iso(request.requestedAt),
    requested_by: request.requestedBy ?? null,
    alerts: request.alerts.map((alert) => ({
      rule: alert.rule,
      fingerprint: alert.fingerprint,
      labels: alert.labels,
      value: finite(alert.value),
      threshold: finite(alert.threshold),
      active_at: iso(alert.activeAt),
      window_start: iso(alert.windowStart),
      window_end: iso(alert.windowEnd),
    })),
  };
}
