// A notification: one message about one aggregation group to one receiver — its firing and
// resolved alerts — with an idempotency key stable across restarts.
import { createHash } from "node:crypto";
import type { AlertState } from "./alert.js";
import type { Labels } from "./labels.js";

export interface Notification {
  /** Idempotency key: the same group and content always give the same id. */
  readonly id: string;
  readonly groupKey: string;
  readonly receiver: string;
  readonly groupLabels: Labels;
  readonly firing: readonly AlertState[];
  readonly resolved: readonly AlertState[];
  /** Dispatch time (epoch ms), stamped once. */
  readonly createdAt: number;
  /** A repeat of unchanged firing content (repeatInterval). */
  readonly repeat: boolean;
  /** The receiver's reference of this episode's first message (Slack thread ts), if any. */
  readonly threadRef?: string;
}

/** Presentation settings every template needs. */
export interface RenderSettings {
  readonly grafanaUrl?: string;
  readonly grafanaDashboardUid: string;
}

export function notificationStatus(notification: Notification): "firing" | "resolved" {
  return notification.firing.length > 0 ? "firing" : "resolved";
}

/** `fingerprint:activeAtSeconds` — one episode of one alert (what the notification log tracks). */
export function episodeId(alert: AlertState): string {
  return `${alert.fingerprint}:${Math.floor((alert.activeAt ?? 0) / 1000)}`;
}

/**
 * The idempotency key of a notification: a hash of the group and of the episodes it reports as
 * firing and resolved, plus, for a repeat, the time the previous copy was delivered.
 */
export function notificationId(
  groupKey: string,
  firing: readonly string[],
  resolved: readonly string[],
  repeatOf?: number,
): string {
  const hash = createHash("sha256");
  hash.update(groupKey);
  hash.update("\nfiring:");
  hash.update([...firing].sort().join(","));
  hash.update("\nresolved:");
  hash.update([...resolved].sort().join(","));
  if (repeatOf !== undefined) hash.update(`\nrepeat:${repeatOf}`);
  return hash.digest("hex").slice(0, 32);
}
