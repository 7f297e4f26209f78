// Time in tests: the fixed instants synthetic data and simulated clocks start at, the units, and
// waiting (real time) for a condition to hold.

export const SECOND = 1_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** The instant the alerting tests' simulated clocks start at (2026-11-23T08:00:00Z). */
export const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

/** A fixed, hour- and day-aligned start for synthetic monitoring data (2026-11-01T00:00:00Z). */
export const DATA_START = Date.UTC(2026, 10, 1);

/** Poll `probe` until `done` holds; fails with the last value after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last value ${describe(last)}` +
          (lastError === undefined ? "" : `; last error ${String(lastError)}`),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A value for a failure message: JSON, with Maps as objects, cut at 2,000 characters. */
function describe(value: unknown): string {
  const text = JSON.stringify(value, (_, item: unknown) =>
    item instanceof Map ? Object.fromEntries(item) : item,
  );
  return text === undefined ? String(value) : text.slice(0, 2_000);
}
