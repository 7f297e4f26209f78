// Pipeline stage "dedup": against the notification log, decide whether a group needs a message
// to an integration now and build it. A message goes out when alerts fire that the integration
// has not been told about, when alerts it was told about have resolved, or when unchanged firing
// content is older than repeat_interval. Resolves are only sent for alerts notified as firing,
// and only once. The log tracks alerts by fingerprint, so an alert that resolved and fired again
// between two flushes is no news (flapping does not spam); ids include the episode, so a later
// episode with the same alerts is never mistaken for a duplicate.
import type { AlertState } from "../model/alert.js";
import { episodeId, notificationId, type Notification } from "../model/notification.js";
import type { AggregationGroup } from "./group.js";
import type { NotificationLogEntry } from "./notification-log.js";

export interface DedupInput {
  readonly group: AggregationGroup;
  /** Alerts after inhibition and silencing. */
  readonly alerts: readonly AlertState[];
  readonly entry: NotificationLogEntry | undefined;
  readonly sendResolved: boolean;
  readonly now: number;
}

export function planNotification(input: DedupInput): Notification | undefined {
  const { group, entry, now } = input;
  const firing = input.alerts.filter((alert) => alert.state === "firing").sort(byLabels);
  // A resolve is news only to an integration that was told the alert fired.
  const resolved = input.alerts
    .filter(
      (alert) =>
        alert.state === "resolved" && entry !== undefined && entry.firing.has(alert.fingerprint),
    )
    .sort(byLabels);
  const firingIds = firing.map(episodeId);
  const resolvedIds = input.sendResolved ? resolved.map(episodeId) : [];

  let repeat = false;
  if (entry === undefined) {
    if (firing.length === 0) return undefined;
  } else {
    const newFiring = firing.some((alert) => !entry.firing.has(alert.fingerprint));
    const newResolved = input.sendResolved && resolved.length > 0;
    if (!newFiring && !newResolved) {
      const due = firing.length > 0 && now - entry.sentAt >= group.settings.repeatIntervalMs;
      if (!due) return undefined;
      repeat = true;
    }
  }
  const continuing = entry !== undefined && entry.firing.size > 0;
  return {
    id: notificationId(group.key, firingIds, resolvedIds, repeat ? entry!.sentAt : undefined),
    groupKey: group.key,
    receiver: group.receiver,
    groupLabels: group.labels,
    firing,
    resolved: input.sendResolved ? resolved : [],
    createdAt: now,
    repeat,
    ...(continuing && entry.threadRef !== undefined ? { threadRef: entry.threadRef } : {}),
  };
}

/** The log entry after `notification` was delivered. */
export function deliveredEntry(
  notification: Notification,
  previous: NotificationLogEntry | undefined,
  externalRef: string | undefined,
  sentAt: number,
): NotificationLogEntry {
  const firing = new Set(notification.firing.map((alert) => alert.fingerprint));
  // A new episode (nothing was firing before) starts a new thread.
  const threadRef =
    firing.size === 0
      ? undefined
      : previous !== undefined && previous.firing.size > 0 && previous.threadRef !== undefined
        ? previous.threadRef
        : externalRef;
  return {
    firing,
    resolved: new Set(notification.resolved.map((alert) => alert.fingerprint)),
    sentAt,
    notificationId: notification.id,
    ...(threadRef !== undefined ? { threadRef } : {}),
  };
}

/** Stable order in messages: rule, model, feature, metric. */
function byLabels(a: AlertState, b: AlertState): number {
  for (const name of ["alertname", "model", "feature", "metric"]) {
    const order = (a.labels[name] ?? "").localeCompare(b.labels[name] ?? "");
    if (order !== 0) return order;
  }
  return a.fingerprint.localeCompare(b.fingerprint);
}
