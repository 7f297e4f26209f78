// The one interface every integration (Slack, email, webhook, retrain presets) implements, and
// the outcome it reports: delivered, or failed with "retryable or not" plus a reason. The retry
// stage alone decides what happens next.

/** Why a delivery attempt failed; also a metric label. */
export const FAILURE_REASONS = [
  "client_error", // the request is wrong (4xx, unknown channel, bad address): retrying cannot help
  "auth", // credentials refused (401/403, invalid_auth, SMTP 535)
  "rate_limited", // 429 / ratelimited: retry after Retry-After
  "timeout", // no answer in time
  "server_error", // 5xx / SMTP 4xx: retry
  "network", // connection refused, reset, DNS: retry
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];

export type DeliveryResult =
  | {
      readonly ok: true;
      readonly responseCode?: number;
      /** What the receiver calls the delivered message (Slack message ts, for threading). */
      readonly externalRef?: string;
    }
  | {
      readonly ok: false;
      readonly retryable: boolean;
      readonly reason: FailureReason;
      readonly responseCode?: number;
      /** The receiver asked to wait this long (Retry-After). */
      readonly retryAfterMs?: number;
      /** What went wrong, secrets already redacted. */
      readonly error: string;
    };

export type IntegrationKind = "slack" | "email" | "webhook";

export interface SendContext {
  /** Aborted when the engine shuts down. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Time of the dispatch, stamped once and passed down. */
  readonly now: number;
}

/**
 * A destination that can deliver a message of type M. Lifecycle: built from config, `send` called
 * any number of times concurrently, `close()` once. `send` never throws: every failure is a
 * DeliveryResult with `ok: false`.
 */
export interface Integration<M> {
  readonly kind: IntegrationKind;
  /** The receiver (or retrain action) it belongs to. */
  readonly owner: string;
  /** Whether resolved alerts are sent. */
  readonly sendResolved: boolean;
  send(message: M, context: SendContext): Promise<DeliveryResult>;
  close(): Promise<void>;
}

export function failure(
  reason: FailureReason,
  retryable: boolean,
  error: string,
  extra: { responseCode?: number; retryAfterMs?: number } = {},
): DeliveryResult {
  return { ok: false, reason, retryable, error, ...extra };
}
