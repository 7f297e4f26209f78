// Slack message for a notification: Block Kit (header; model, severity, window and features;
// each alert's value against its threshold; Grafana dashboard and runbook links) plus the plain
// fallback text. Free text is escaped for mrkdwn; Slack's size limits are respected.
import { storedText } from "../../src/util/index.js";
import type { AlertState } from "../model/alert.js";
import {
  notificationStatus,
  type Notification,
  type RenderSettings,
} from "../model/notification.js";
import { notificationDashboard } from "./dashboard-link.js";
import { formatValue } from "./format.js";
import {
  allAlerts,
  distinctLabel,
  formatWindow,
  involvedFeatures,
  notificationRunbook,
  notificationTitle,
  notificationWindow,
  topSeverity,
} from "./summary.js";

/** A Block Kit block (the subset driftwatch sends). */
export type SlackBlock = Record<string, unknown>;

export interface SlackMessage {
  readonly text: string;
  readonly blocks: SlackBlock[];
}

const MAX_LINES = 15;
const SECTION_LIMIT = 2900;
const SEVERITY_ICON: Readonly<Record<string, string>> = {
  critical: ":red_circle:",
  warning: ":large_orange_circle:",
  info: ":large_blue_circle:",
};

/** `&`, `<`, `>` are control characters in mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function renderSlackMessage(
  notification: Notification,
  settings: RenderSettings,
  mention?: string,
): SlackMessage {
  const alerts = allAlerts(notification);
  const firing = notificationStatus(notification) === "firing";
  const severity = topSeverity(firing ? notification.firing : alerts);
  const title = notificationTitle(notification);
  const icon = firing ? (SEVERITY_ICON[severity] ?? ":warning:") : ":white_check_mark:";
  const models = distinctLabel(alerts, "model");
  const features = involvedFeatures(alerts);
  const window = notificationWindow(alerts);

  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text: truncate(`${firing ? "" : "✅ "}${title}`, 150),
        emoji: true,
      },
    },
    {
      type: "section",
      fields: [
        field("Model", models.join(", ") || "n/a"),
        field("Severity", `${icon} ${severity}`),
        field("Window", formatWindow(window)),
        field("Features", features.length === 0 ? "—" : listWithMore(features, 10)),
      ],
    },
  ];
  if (notification.firing.length > 0) {
    blocks.push(section(`*Firing*\n${alertLines(notification.firing)}`));
  }
  if (notification.resolved.length > 0) {
    blocks.push(section(`*Resolved*\n${alertLines(notification.resolved)}`));
  }
  const links: string[] = [];
  const dashboard = notificationDashboard(notification, settings);
  if (dashboard !== undefined) links.push(`<${dashboard}|Grafana dashboard>`);
  const runbook = notificationRunbook(notification);
  if (runbook !== undefined) links.push(`<${runbook}|Runbook>`);
  if (links.length > 0) blocks.push(section(links.join("  ·  ")));
  blocks.push({
    type: "context",
    elements: [
      { type: "mrkdwn", text: `driftwatch · notification \`${notification.id.slice(0, 12)}\`` },
    ],
  });

  const prefix = firing && severity === "critical" && mention !== undefined ? `${mention} ` : "";
  return { text: `${prefix}${title}`, blocks };
}

function alertLines(alerts: readonly AlertState[]): string {
  const lines = alerts
    .slice(0, MAX_LINES)
    .map((alert) => `• ${escapeMrkdwn(slackAlertLine(alert))}`);
  if (alerts.length > MAX_LINES) lines.push(`…and ${alerts.length - MAX_LINES} more`);
  return truncate(lines.join("\n"), SECTION_LIMIT);
}

function slackAlertLine(alert: AlertState): string {
  const who = alert.labels.feature ? `${alert.labels.feature} — ` : "";
  const threshold = Number.isFinite(alert.threshold)
    ? ` vs threshold ${formatValue(alert.threshold)}`
    : "";
  const summary = alert.annotations.summary;
  const measured = `${alert.labels.metric} ${formatValue(alert.value)}${threshold}`;
  return summary !== undefined && summary !== ""
    ? `${who}${summary} (${measured})`
    : `${who}${measured}`;
}

function field(name: string, value: string): SlackBlock {
  return { type: "mrkdwn", text: truncate(`*${name}*\n${escapeMrkdwn(value)}`, 1900) };
}

function section(text: string): SlackBlock {
  return { type: "section", text: { type: "mrkdwn", text: truncate(text, SECTION_LIMIT) } };
}

function listWithMore(items: readonly string[], limit: number): string {
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown} (+${items.length - limit} more)` : shown;
}

function truncate(text: string, limit: number): string {
  return storedText(text, limit);
}
