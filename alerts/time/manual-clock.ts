// A clock that only moves when told to: `advance(ms)` moves time forward and wakes every sleeper
// whose deadline has passed, in deadline order. For tests and benchmarks of timing behaviour.
import { abortReason, type Clock } from "./clock.js";

interface Sleeper {
  readonly wakeAt: number;
  readonly resolve: () => void;
}

export class ManualClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];

  constructor(start = Date.UTC(2026, 10, 23, 8, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** How many callers are waiting in `sleep`. */
  get sleeping(): number {
    return this.sleepers.length;
  }

  /** The earliest wake-up time of a sleeper, if any. */
  nextWakeAt(): number | undefined {
    return this.sleepers.reduce<number | undefined>(
      (earliest, sleeper) =>
        earliest === undefined || sleeper.wakeAt < earliest ? sleeper.wakeAt : earliest,
      undefined,
    );
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        wakeAt: this.current + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((other) => other !== sleeper);
        reject(abortReason(signal!));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Move time forward by `ms`, waking due sleepers. */
  advance(ms: number): void {
    this.set(this.current + ms);
  }

  /** Move time to `at` (never backwards), waking due sleepers. */
  set(at: number): void {
    this.current = Math.max(this.current, at);
    const due = this.sleepers.filter((sleeper) => sleeper.wakeAt <= this.current);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.wakeAt > this.current);
    due.sort((a, b) => a.wakeAt - b.wakeAt).forEach((sleeper) => sleeper.resolve());
  }
}
