// The words every channel shares: a notification's title, the model(s) and features it is
// about, its window and severity, and one line per alert.
import type { AlertState } from "../model/alert.js";
import { notificationStatus, type Notification } from "../model/notification.js";
import { alertSummary, formatTime } from "./format.js";

const SEVERITY_ORDER = ["critical", "warning", "info"];

/** The most severe severity among the alerts. */
export function topSeverity(alerts: readonly AlertState[]): string {
  let best = "info";
  for (const alert of alerts) {
    const severity = alert.labels.severity ?? "warning";
    if (SEVERITY_ORDER.indexOf(severity) < SEVERITY_ORDER.indexOf(best)) best = severity;
  }
  return alerts.length === 0 ? "info" : best;
}

export function allAlerts(notification: Notification): readonly AlertState[] {
  return [...notification.firing, ...notification.resolved];
}

/** Distinct values of a label across the alerts, in first-seen order. */
export function distinctLabel(alerts: readonly AlertState[], name: string): string[] {
  const seen = new Set<string>();
  for (const alert of alerts) {
    const value = alert.labels[name];
    if (value !== undefined && value !== "") seen.add(value);
  }
  return [...seen];
}

/** Features involved: feature labels plus the drifted features model-level alerts carry. */
export function involvedFeatures(alerts: readonly AlertState[]): string[] {
  const seen = new Set<string>(distinctLabel(alerts, "feature"));
  for (const alert of alerts) for (const feature of alert.features) seen.add(feature);
  return [...seen];
}

/** "[FIRING:3] feature-drift on credit-risk" / "[RESOLVED] …". */
export function notificationTitle(notification: Notification): string {
  const alerts = allAlerts(notification);
  const rules = distinctLabel(alerts, "alertname");
  const models = distinctLabel(alerts, "model");
  const status =
    notificationStatus(notification) === "firing"
      ? `FIRING:${notification.firing.length}`
      : "RESOLVED";
  const rule = rules.length === 1 ? rules[0]! : `${rules.length} rules`;
  const model = models.length === 1 ? models[0]! : `${models.length} models`;
  return `[${status}] ${rule} on ${model}`;
}

/** The alerts' window (earliest start, latest end). */
export function notificationWindow(alerts: readonly AlertState[]): {
  start?: number;
  end?: number;
} {
  let start: number | undefined;
  let end: number | undefined;
  for (const alert of alerts) {
    if (alert.windowStart !== undefined)
      start = start === undefined ? alert.windowStart : Math.min(start, alert.windowStart);
    if (alert.windowEnd !== undefined)
      end = end === undefined ? alert.windowEnd : Math.max(end, alert.windowEnd);
  }
  return { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) };
}

export function formatWindow(window: { start?: number; end?: number }): string {
  if (window.start === undefined || window.end === undefined) return "n/a";
  return `${formatTime(window.start)} → ${formatTime(window.end)}`;
}

/** The first runbook URL among the alerts. */
export function notificationRunbook(notification: Notification): string | undefined {
  for (const alert of allAlerts(notification)) {
    const url = alert.annotations.runbookUrl;
    if (url !== undefined && url !== "") return url;
  }
  return undefined;
}

export { alertSummary };
