// One message to one integration through the last two stages: retry (backoff, Retry-After, max
// attempts) and record (one delivery-log row per attempt, written in batches). Failures are logged
// with their reason; secrets were already redacted by the integration.
import { storedText, type Logger } from "../../src/util/index.js";
import type { AlertMetrics } from "../metrics.js";
import type { Integration, DeliveryResult } from "../notifiers/types.js";
import type { DeliveryKind, DeliveryLogRow } from "../store/delivery-log-store.js";
import type { Clock } from "../time/clock.js";
import type { DeliveryRecorder } from "./record.js";
import { withRetry, type AttemptReport, type RetryPolicy } from "./retry.js";

export interface DeliveryMeta {
  readonly notificationId: string;
  readonly groupKey: string;
  readonly rule: string;
  readonly model: string;
  readonly receiver: string;
  readonly kind: DeliveryKind;
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
  readonly detail: string;
}

export interface DeliveryContext {
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly policy: RetryPolicy;
  readonly recorder: DeliveryRecorder;
  readonly logger?: Logger;
  readonly random?: () => number;
  readonly onWait?: (waiting: boolean) => void;
  readonly metrics?: AlertMetrics;
}

export interface DeliveryOutcome {
  readonly result: DeliveryResult;
  readonly attempts: number;
}

export async function deliver<M>(
  integration: Integration<M>,
  message: M,
  meta: DeliveryMeta,
  context: DeliveryContext,
): Promise<DeliveryOutcome> {
  const onAttempt = (report: AttemptReport) => {
    context.recorder.record(attemptRow(integration.kind, meta, report, context.signal.aborted));
    const result = report.result;
    context.metrics?.attempt(integration.kind, result.ok ? "delivered" : result.reason);
    if (result.ok) return;
    const fields = {
      receiver: meta.receiver,
      integration: integration.kind,
      notificationId: meta.notificationId,
      attempt: report.attempt,
      reason: result.reason,
      responseCode: result.responseCode,
      error: result.error,
      ...(report.delayMs !== undefined ? { retryInMs: report.delayMs } : {}),
    };
    if (report.willRetry) context.logger?.warn(fields, "notification attempt failed; will retry");
    else if (!result.retryable)
      context.logger?.error(fields, "notification failed and cannot be retried");
    else context.logger?.error(fields, "notification failed after the last attempt");
  };
  return withRetry(
    (attempt, now) => integration.send(message, { signal: context.signal, attempt, now }),
    context.policy,
    {
      clock: context.clock,
      signal: context.signal,
      onAttempt,
      ...(context.random !== undefined ? { random: context.random } : {}),
      ...(context.onWait !== undefined ? { onWait: context.onWait } : {}),
    },
  );
}

function attemptRow(
  integration: string,
  meta: DeliveryMeta,
  report: AttemptReport,
  aborted: boolean,
): DeliveryLogRow {
  const result = report.result;
  return {
    sentAt: report.startedAt,
    notificationId: meta.notificationId,
    groupKey: meta.groupKey,
    rule: meta.rule,
    model: meta.model,
    receiver: meta.receiver,
    integration,
    kind: meta.kind,
    status: result.ok
      ? "delivered"
      : report.willRetry
        ? "retrying"
        : aborted
          ? "aborted"
          : "failed",
    attempt: report.attempt,
    retryable: !result.ok && result.retryable,
    reason: result.ok ? "" : result.reason,
    responseCode: result.responseCode ?? 0,
    lastError: result.ok ? "" : storedText(result.error, 1000),
    detail: meta.detail,
    durationMs: report.finishedAt - report.startedAt,
    firing: meta.firing,
    resolved: meta.resolved,
    externalRef: result.ok ? (result.externalRef ?? "") : "",
  };
}
