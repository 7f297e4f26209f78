// The retry stage on a manual clock: exponential backoff with jitter bounds, Retry-After honoured
// and capped, non-retryable failures end at once, max attempts, abort while waiting.
import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  withRetry,
  type AttemptReport,
  type RetryPolicy,
} from "../../../alerts/pipeline/retry.js";
import { failure, type DeliveryResult } from "../../../alerts/notifiers/types.js";
import { ManualClock } from "../../../alerts/time/manual-clock.js";

const policy: RetryPolicy = {
  maxAttempts: 5,
  initialBackoffMs: 1_000,
  maxBackoffMs: 8_000,
  maxRetryAfterMs: 30_000,
};

/** Run withRetry on a manual clock, waking sleepers as soon as they sleep. */
async function run(
  results: DeliveryResult[],
  options: { policy?: RetryPolicy; random?: () => number; abortAfter?: number } = {},
) {
  const clock = new ManualClock(0);
  const abort = new AbortController();
  const attempts: number[] = [];
  const reports: AttemptReport[] = [];
  const done = withRetry(
    async (attempt, now) => {
      attempts.push(now);
      if (options.abortAfter === attempt) queueMicrotask(() => abort.abort());
      return results[attempt - 1] ?? { ok: true };
    },
    options.policy ?? policy,
    {
      clock,
      signal: abort.signal,
      random: options.random ?? (() => 0.5),
      onAttempt: (report) => reports.push(report),
    },
  );
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    await new Promise((resolve) => setImmediate(resolve));
    const next = clock.nextWakeAt();
    if (next !== undefined) clock.set(next);
  }
  return { outcome: await done, attempts, reports };
}

const serverError = failure("server_error", true, "HTTP 503", { responseCode: 503 });

describe("retry stage", () => {
  it("backs off exponentially with equal jitter, up to the cap", () => {
    const delays = (random: number) =>
      [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, policy, () => random));
    expect(delays(0)).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000]);
    expect(delays(0.999999)).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it("retries retryable failures until delivered, waiting the backoff between attempts", async () => {
    const { outcome, attempts, reports } = await run([serverError, serverError]);
    expect(outcome).toEqual({ result: { ok: true }, attempts: 3 });
    expect(attempts).toEqual([0, 750, 750 + 1_500]);
    expect(reports.map((report) => [report.attempt, report.willRetry, report.delayMs])).toEqual([
      [1, true, 750],
      [2, true, 1_500],
      [3, false, undefined],
    ]);
  });

  it("waits exactly Retry-After, capped by maxRetryAfter", async () => {
    const limited = (ms: number) =>
      failure("rate_limited", true, "429", { responseCode: 429, retryAfterMs: ms });
    const { attempts } = await run([limited(7_000), limited(120_000)]);
    expect(attempts).toEqual([0, 7_000, 37_000]);
  });

  it("stops at once on a non-retryable failure, and after maxAttempts", async () => {
    const auth = failure("auth", false, "invalid_auth");
    expect((await run([auth])).outcome).toEqual({ result: auth, attempts: 1 });
    const always = Array.from({ length: 10 }, () => serverError);
    const exhausted = await run(always, { policy: { ...policy, maxAttempts: 3 } });
    expect(exhausted.outcome).toEqual({ result: serverError, attempts: 3 });
    expect(exhausted.reports[2]!.willRetry).toBe(false);
  });

  it("gives up when aborted (shutdown) instead of waiting", async () => {
    const { outcome, attempts } = await run([serverError, serverError, serverError], {
      abortAfter: 1,
    });
    expect(attempts).toHaveLength(1);
    expect(outcome.attempts).toBe(1);
    expect(outcome.result.ok).toBe(false);
  });
});
