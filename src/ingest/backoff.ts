// Exponential backoff with full jitter ("AWS style"): attempt n waits a random time in
// [min/2, min(max, min·2ⁿ)], so a fleet of ingesters does not retry in lock-step.

export interface BackoffPolicy {
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
}

/** Delay before retry number `attempt` (0 for the first retry). `random` is injectable for tests. */
export function backoffDelayMs(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.minBackoffMs * 2 ** Math.min(attempt, 30));
  const floor = Math.min(policy.minBackoffMs / 2, ceiling);
  return Math.round(floor + random() * (ceiling - floor));
}
