// Notifications that failed for good (every retry spent), counted over a sliding window for the
// service's self-health. Bounded: at most `capacity` times are kept.

/** Failures are counted over this long. */
export const FAILURE_WINDOW_MS = 15 * 60_000;

export class RecentFailures {
  /** When notifications failed, oldest first. */
  private readonly times: number[] = [];

  constructor(
    private readonly windowMs: number = FAILURE_WINDOW_MS,
    private readonly capacity: number = 10_000,
  ) {}

  record(at: number): void {
    this.times.push(at);
    if (this.times.length > this.capacity) this.times.shift();
  }

  /** Failures within the window ending at `now`. */
  count(now: number): number {
    const since = now - this.windowMs;
    while (this.times.length > 0 && this.times[0]! < since) this.times.shift();
    return this.times.length;
  }
}
