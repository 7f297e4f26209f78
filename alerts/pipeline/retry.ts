// Pipeline stage "retry": the only place that waits and tries again. Exponential backoff with
// jitter between attempts, Retry-After honoured (capped), a maximum number of attempts; a
// non-retryable failure ends at once. Time and randomness are injected.
import type { Clock } from "../time/clock.js";
import { failure, type DeliveryResult } from "../notifiers/types.js";

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Longest Retry-After honoured; a longer one waits this long. */
  readonly maxRetryAfterMs: number;
}

export interface AttemptReport {
  readonly attempt: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly result: DeliveryResult;
  /** The stage will try again after `delayMs`. */
  readonly willRetry: boolean;
  readonly delayMs?: number;
}

export interface RetryOptions {
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** Uniform [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** Called after every attempt (the record stage listens here). */
  readonly onAttempt?: (report: AttemptReport) => void;
  /** Called while waiting between attempts (tests count sleepers). */
  readonly onWait?: (waiting: boolean) => void;
}

/** Delay before attempt `attempt + 1`: "equal jitter" (half fixed, half random) or Retry-After. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined)
    return Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs);
  const exponential = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

export async function withRetry(
  send: (attempt: number, now: number) => Promise<DeliveryResult>,
  policy: RetryPolicy,
  options: RetryOptions,
): Promise<{ result: DeliveryResult; attempts: number }> {
  const random = options.random ?? Math.random;
  let result: DeliveryResult = failure("timeout", true, "not attempted");
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    if (options.signal.aborted)
      return { result: failure("timeout", true, "aborted: shutting down"), attempts: attempt - 1 };
    const startedAt = options.clock.now();
    result = await send(attempt, startedAt);
    const finishedAt = options.clock.now();
    const willRetry =
      !result.ok && result.retryable && attempt < policy.maxAttempts && !options.signal.aborted;
    const delayMs =
      willRetry && !result.ok
        ? backoffDelay(attempt, policy, random, result.retryAfterMs)
        : undefined;
    options.onAttempt?.({
      attempt,
      startedAt,
      finishedAt,
      result,
      willRetry,
      ...(delayMs !== undefined ? { delayMs } : {}),
    });
    if (!willRetry) return { result, attempts: attempt };
    options.onWait?.(true);
    try {
      await options.clock.sleep(delayMs!, options.signal);
    } catch {
      return { result, attempts: attempt };
    } finally {
      options.onWait?.(false);
    }
  }
  return { result, attempts: policy.maxAttempts };
}
