// A bounded memory of recently ingested event keys: a resend of the same (model, event_id) that
// arrives within the last `capacity` events is dropped before it reaches ClickHouse. Older
// resends slip through and are collapsed by the tables' ReplacingMergeTree engine.

export class DedupWindow {
  // Map iteration order is insertion order, so the first key is always the oldest.
  private readonly keys = new Map<string, true>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`dedup window capacity must be a positive integer, got ${capacity}`);
    }
  }

  static key(model: string, eventId: string): string {
    return model + "\u0000" + eventId;
  }

  /** Remember `key`; false when it was already in the window (a duplicate). */
  admit(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.set(key, true);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.keys().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return true;
  }

  /** Forget keys admitted for rows that were never stored (a batch abandoned on rebalance). */
  forget(keys: Iterable<string>): void {
    for (const key of keys) this.keys.delete(key);
  }

  clear(): void {
    this.keys.clear();
  }

  get size(): number {
    return this.keys.size;
  }
}
