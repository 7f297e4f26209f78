// Alert state changes waiting to be written to driftwatch.alerts: the latest version per alert,
// written in one insert per flush. "Lazy" changes (lastSentAt) ride along with the alert's next
// change, or are written on stop — they are informational, dedup rests on the delivery log.
// A state ClickHouse refuses for its content is isolated, logged and dropped, never retried.
import { insertIsolatingRejected } from "../../src/store/index.js";
import type { Logger } from "../../src/util/index.js";
import type { AlertState } from "../model/alert.js";
import type { AlertStateStore } from "../store/alert-state-store.js";

export class StateWriter {
  private readonly dirty = new Map<string, AlertState>();
  private readonly lazy = new Map<string, AlertState>();

  constructor(
    private readonly store: AlertStateStore | undefined,
    private readonly logger?: Logger,
    /** Called with the number of states ClickHouse refused (and that were dropped). */
    private readonly onRefused?: (rows: number) => void,
  ) {}

  /** Queue a change to write at the next flush. */
  changed(alert: AlertState): void {
    const key = keyOf(alert);
    this.dirty.set(key, alert);
    this.lazy.delete(key);
  }

  /** Queue a change that may wait for the alert's next change (or stop). */
  changedLazily(alert: AlertState): void {
    const key = keyOf(alert);
    if (this.dirty.has(key)) this.dirty.set(key, alert);
    else this.lazy.set(key, alert);
  }

  /** Write queued changes in one insert; on failure keep them (unless newer ones were queued). */
  async flush(options: { readonly includeLazy?: boolean } = {}): Promise<void> {
    if (options.includeLazy === true) {
      for (const [key, alert] of this.lazy) if (!this.dirty.has(key)) this.dirty.set(key, alert);
      this.lazy.clear();
    }
    if (this.dirty.size === 0) return;
    const states = [...this.dirty.values()];
    this.dirty.clear();
    if (this.store === undefined) return;
    const store = this.store;
    let settled = 0;
    try {
      await insertIsolatingRejected(
        states.length,
        async (from, to) => {
          await store.write(states.slice(from, to));
          settled = to;
        },
        ({ index, error }) => {
          settled = index + 1;
          const state = states[index]!;
          this.onRefused?.(1);
          this.logger?.error(
            { rule: state.rule, alert: state.fingerprint, err: error.message },
            "ClickHouse refused an alert state for its content; it is not stored",
          );
        },
      );
    } catch (error) {
      for (const state of states.slice(settled)) {
        const key = keyOf(state);
        if (!this.dirty.has(key)) this.dirty.set(key, state);
      }
      this.logger?.warn(
        { err: (error as Error).message, alerts: states.length },
        "alert state write failed; will retry",
      );
    }
  }
}

function keyOf(alert: AlertState): string {
  return `${alert.rule}\u0000${alert.fingerprint}`;
}
