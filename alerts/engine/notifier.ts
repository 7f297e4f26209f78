// Flushing one aggregation group to its receiver: for each integration, the dedup stage plans
// the message against the notification log, the retry and record stages deliver it, and the log
// is updated on success. Reports which firing alerts were delivered and which resolves are settled.
import type { AlertState } from "../model/alert.js";
import type { Notification } from "../model/notification.js";
import type { Integration } from "../notifiers/types.js";
import { deliver, type DeliveryContext } from "../pipeline/deliver.js";
import { deliveredEntry, planNotification } from "../pipeline/dedup.js";
import type { AggregationGroup } from "../pipeline/group.js";
import type { NotificationLog } from "../pipeline/notification-log.js";
import { distinctLabel } from "../templates/summary.js";

export interface FlushOutcome {
  /** Firing alerts delivered to at least one integration in this flush. */
  readonly deliveredFiring: readonly AlertState[];
  /** Resolved alerts nobody needs to hear about any more (resolve sent, or never notified). */
  readonly settledResolved: readonly AlertState[];
  /** Messages sent (delivered or not). */
  readonly messages: number;
}

export async function flushGroup(
  group: AggregationGroup,
  visible: readonly AlertState[],
  integrations: readonly Integration<Notification>[],
  log: NotificationLog,
  context: DeliveryContext,
  now: number,
): Promise<FlushOutcome> {
  const delivered = new Map<string, AlertState>();
  let messages = 0;
  await Promise.all(
    integrations.map(async (integration) => {
      const entry = log.get(group.key, integration.kind);
      const notification = planNotification({
        group,
        alerts: visible,
        entry,
        sendResolved: integration.sendResolved,
        now,
      });
      if (notification === undefined) return;
      messages++;
      const alerts = [...notification.firing, ...notification.resolved];
      const outcome = await deliver(
        integration,
        notification,
        {
          notificationId: notification.id,
          groupKey: group.key,
          rule: distinctLabel(alerts, "alertname").join(","),
          model: distinctLabel(alerts, "model").join(","),
          receiver: group.receiver,
          kind: notification.firing.length > 0 ? "firing" : "resolved",
          firing: notification.firing.map((alert) => alert.fingerprint),
          resolved: notification.resolved.map((alert) => alert.fingerprint),
          detail: `${notification.firing.length} firing, ${notification.resolved.length} resolved${notification.repeat ? ", repeat" : ""}`,
        },
        context,
      );
      if (outcome.result.ok) {
        log.set(
          group.key,
          integration.kind,
          deliveredEntry(notification, entry, outcome.result.externalRef, now),
        );
        for (const alert of notification.firing) delivered.set(alert.fingerprint, alert);
      }
    }),
  );
  const settledResolved = [...group.alerts.values()].filter(
    (alert) =>
      alert.state === "resolved" &&
      integrations.every((integration) => {
        if (!integration.sendResolved) return true;
        return log.get(group.key, integration.kind)?.firing.has(alert.fingerprint) !== true;
      }),
  );
  return { deliveredFiring: [...delivered.values()], settledResolved, messages };
}
