// Email for a notification: subject with severity and model, an HTML body and a plain-text body
// carrying the same facts (alerts with value vs threshold, window, dashboard and runbook links).
import type { AlertState } from "../model/alert.js";
import {
  notificationStatus,
  type Notification,
  type RenderSettings,
} from "../model/notification.js";
import { notificationDashboard } from "./dashboard-link.js";
import { formatTime, formatValue } from "./format.js";
import {
  allAlerts,
  distinctLabel,
  formatWindow,
  involvedFeatures,
  notificationRunbook,
  notificationWindow,
  topSeverity,
} from "./summary.js";

export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export function renderEmail(notification: Notification, settings: RenderSettings): EmailMessage {
  const alerts = allAlerts(notification);
  const firing = notificationStatus(notification) === "firing";
  const severity = topSeverity(firing ? notification.firing : alerts).toUpperCase();
  const models = distinctLabel(alerts, "model");
  const rules = distinctLabel(alerts, "alertname");
  const model = models.length === 1 ? models[0]! : `${models.length} models`;
  const rule = rules.length === 1 ? rules[0]! : `${rules.length} rules`;
  const subject = firing
    ? `[driftwatch] [${severity}] FIRING: ${rule} on ${model} (${notification.firing.length} alert${notification.firing.length === 1 ? "" : "s"})`
    : `[driftwatch] [${severity}] RESOLVED: ${rule} on ${model}`;
  const window = formatWindow(notificationWindow(alerts));
  const features = involvedFeatures(alerts);
  const dashboard = notificationDashboard(notification, settings);
  const runbook = notificationRunbook(notification);

  const text: string[] = [
    subject.replace(/^\[driftwatch\] /, ""),
    "",
    `Model:    ${models.join(", ")}`,
    `Severity: ${severity.toLowerCase()}`,
    `Window:   ${window}`,
    `Features: ${features.length > 0 ? features.join(", ") : "-"}`,
  ];
  for (const [heading, list] of [
    ["Firing", notification.firing],
    ["Resolved", notification.resolved],
  ] as const) {
    if (list.length === 0) continue;
    text.push("", `${heading}:`);
    for (const alert of list) text.push(`  - ${textLine(alert)}`);
  }
  if (dashboard !== undefined) text.push("", `Dashboard: ${dashboard}`);
  if (runbook !== undefined) text.push(`Runbook:   ${runbook}`);
  text.push("", `-- driftwatch notification ${notification.id}`);

  const rows = (list: readonly AlertState[], status: string) =>
    list
      .map(
        (alert) =>
          `<tr><td>${status}</td><td>${esc(alert.labels.alertname ?? "")}</td><td>${esc(alert.labels.feature ?? "—")}</td><td>${esc(alert.labels.metric ?? "")}</td><td>${formatValue(alert.value)}</td><td>${Number.isFinite(alert.threshold) ? formatValue(alert.threshold) : "—"}</td><td>${esc(alert.annotations.summary ?? "")}</td><td>${esc(formatTime(alert.activeAt))}</td></tr>`,
      )
      .join("\n");
  const links = [
    dashboard !== undefined ? `<a href="${esc(dashboard)}">Grafana dashboard</a>` : "",
    runbook !== undefined ? `<a href="${esc(runbook)}">Runbook</a>` : "",
  ].filter((link) => link !== "");
  const html = `<!doctype html>
<html><body style="font-family: sans-serif">
<h2 style="color: ${firing ? "#b00020" : "#2e7d32"}">${esc(subject.replace(/^\[driftwatch\] /, ""))}</h2>
<p><b>Model:</b> ${esc(models.join(", "))}<br><b>Severity:</b> ${esc(severity.toLowerCase())}<br><b>Window:</b> ${esc(window)}<br><b>Features:</b> ${esc(features.join(", ") || "—")}</p>
<table border="1" cellpadding="4" cellspacing="0" style="border-collapse: collapse">
<tr><th>Status</th><th>Rule</th><th>Feature</th><th>Metric</th><th>Value</th><th>Threshold</th><th>Summary</th><th>Since</th></tr>
${rows(notification.firing, "firing")}
${rows(notification.resolved, "resolved")}
</table>
${links.length > 0 ? `<p>${links.join(" · ")}</p>` : ""}
<p style="color: #777; font-size: small">driftwatch notification ${esc(notification.id)}</p>
</body></html>
`;
  return { subject, text: `${text.join("\n")}\n`, html };
}

function textLine(alert: AlertState): string {
  const who = alert.labels.feature ? `${alert.labels.feature}: ` : "";
  const threshold = Number.isFinite(alert.threshold)
    ? ` (threshold ${formatValue(alert.threshold)})`
    : "";
  const summary = alert.annotations.summary ? ` — ${alert.annotations.summary}` : "";
  return `${who}${alert.labels.metric} = ${formatValue(alert.value)}${threshold}${summary}`;
}

function esc(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
