// `driftwatch alerts test --receiver NAME`: a sample drift notification sent to every integration
// of one receiver (through the retry stage), so users can check their wiring end to end.
import type { Logger } from "../src/util/index.js";
import type { AlertsConfig } from "../src/config/index.js";
import { DRIFT_METRIC } from "../detectors/index.js";
import { AlertsNotFoundError } from "./errors.js";
import type { AlertState } from "./model/alert.js";
import { fingerprint } from "./model/labels.js";
import { notificationId, type Notification } from "./model/notification.js";
import type { HttpCall } from "./notifiers/http.js";
import { buildReceivers, closeIntegrations } from "./notifiers/registry.js";
import type { FailureReason } from "./notifiers/types.js";
import { deliver } from "./pipeline/deliver.js";
import { DeliveryRecorder } from "./pipeline/record.js";
import { retryPolicy } from "./pipeline/retry-policy.js";
import { systemClock, type Clock } from "./time/clock.js";

export interface TestDeliveryResult {
  readonly integration: string;
  readonly ok: boolean;
  readonly attempts: number;
  readonly reason?: FailureReason;
  readonly error?: string;
}

/** A firing notification about a made-up drift on model "driftwatch-test". */
export function sampleNotification(receiver: string, now: number): Notification {
  const window = { windowStart: now - 3_600_000, windowEnd: now };
  const alerts: AlertState[] = [
    { feature: "income", value: 0.31, threshold: 0.2 },
    { feature: "age", value: 0.24, threshold: 0.2 },
  ].map(({ feature, value, threshold }) => {
    const labels = {
      alertname: "driftwatch-test",
      model: "driftwatch-test",
      feature,
      metric: DRIFT_METRIC.psi,
      kind: "drift",
      scope: "feature",
      severity: "warning",
    };
    return {
      rule: "driftwatch-test",
      fingerprint: fingerprint(labels),
      labels,
      state: "firing",
      activeAt: now,
      firedAt: now,
      breachingWindows: 1,
      clearWindows: 0,
      ...window,
      value,
      threshold,
      annotations: {
        summary: `Test notification from driftwatch: PSI of ${feature} is ${value} (threshold ${threshold})`,
      },
      features: [],
      updatedAt: now,
    } satisfies AlertState;
  });
  const groupKey = `${receiver}/{test}`;
  return {
    id: notificationId(
      groupKey,
      alerts.map((alert) => `${alert.fingerprint}:${Math.floor(now / 1000)}`),
      [],
    ),
    groupKey,
    receiver,
    groupLabels: { alertname: "driftwatch-test", model: "driftwatch-test" },
    firing: alerts,
    resolved: [],
    createdAt: now,
    repeat: false,
  };
}

export async function sendTestNotification(options: {
  readonly config: AlertsConfig;
  readonly receiver: string;
  readonly maxAttempts?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly http?: HttpCall;
}): Promise<TestDeliveryResult[]> {
  const clock = options.clock ?? systemClock;
  const receivers = buildReceivers({
    alerts: options.config,
    ...(options.http !== undefined ? { http: options.http } : {}),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  try {
    const integrations = receivers.get(options.receiver);
    if (integrations === undefined) throw new AlertsNotFoundError("receiver", options.receiver);
    const notification = sampleNotification(options.receiver, clock.now());
    const policy = {
      ...retryPolicy(options.config.delivery),
      maxAttempts: options.maxAttempts ?? 3,
    };
    const recorder = new DeliveryRecorder({});
    return await Promise.all(
      integrations.map(async (integration): Promise<TestDeliveryResult> => {
        const outcome = await deliver(
          integration,
          notification,
          {
            notificationId: notification.id,
            groupKey: notification.groupKey,
            rule: "driftwatch-test",
            model: "driftwatch-test",
            receiver: options.receiver,
            kind: "test",
            firing: [],
            resolved: [],
            detail: "driftwatch alerts test",
          },
          {
            clock,
            signal: new AbortController().signal,
            policy,
            recorder,
            ...(options.logger !== undefined ? { logger: options.logger } : {}),
          },
        );
        const result = outcome.result;
        return result.ok
          ? { integration: integration.kind, ok: true, attempts: outcome.attempts }
          : {
              integration: integration.kind,
              ok: false,
              attempts: outcome.attempts,
              reason: result.reason,
              error: result.error,
            };
      }),
    );
  } finally {
    await closeIntegrations(receivers.values());
  }
}
