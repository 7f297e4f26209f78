// A test integration that records what it is asked to send and answers from a script. It stands
// in for a receiver where the test is about the engine's decisions (grouping, dedup, silences),
// not about a wire protocol (those tests use real servers).
import type { Notification } from "../../../alerts/model/notification.js";
import type { DeliveryResult, Integration, SendContext } from "../../../alerts/notifiers/types.js";

export class RecordingIntegration implements Integration<Notification> {
  readonly kind = "webhook" as const;
  readonly sent: Notification[] = [];
  /** Results to give, in order; afterwards every send succeeds. */
  script: DeliveryResult[] = [];

  constructor(
    readonly owner: string,
    readonly sendResolved = true,
  ) {}

  async send(notification: Notification, _context: SendContext): Promise<DeliveryResult> {
    this.sent.push(notification);
    return (
      this.script.shift() ?? { ok: true, responseCode: 200, externalRef: `ref-${this.sent.length}` }
    );
  }

  async close(): Promise<void> {}

  /** Per message: status letter and alert features, e.g. "F:a,b|R:c". */
  summary(): string[] {
    return this.sent.map((notification) => {
      const names = (alerts: readonly { labels: Record<string, string> }[]) =>
        alerts.map((alert) => alert.labels.feature ?? alert.labels.alertname).join(",");
      const parts = [];
      if (notification.firing.length > 0) parts.push(`F:${names(notification.firing)}`);
      if (notification.resolved.length > 0) parts.push(`R:${names(notification.resolved)}`);
      return parts.join("|");
    });
  }
}
