// A bounded memory of recently ingested events: a resend of the same (model, event_id) that
// arrives within the last `capacity` events is dropped before it reaches ClickHouse. Older
// resends slip through and are collapsed by the tables' ReplacingMergeTree engine.

/** An event's identity. */
export interface EventKey {
  readonly model: string;
  readonly eventId: string;
}

export class DedupWindow {
  /** Event ids per model (ids are compared as they came, no key strings built per event). */
  private readonly byModel = new Map<string, Set<string>>();
  /** Admission order as a ring: the slot at `next` holds the oldest admission once wrapped. */
  private readonly ringModels: (string | undefined)[];
  private readonly ringIds: (string | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`dedup window capacity must be a positive integer, got ${capacity}`);
    }
    this.ringModels = new Array<string | undefined>(capacity).fill(undefined);
    this.ringIds = new Array<string | undefined>(capacity).fill(undefined);
  }

  /** Remember the event; false when it was already in the window (a duplicate). */
  admit(model: string, eventId: string): boolean {
    if (this.byModel.get(model)?.has(eventId) === true) return false;
    // The slot being reused holds the oldest admission: it leaves the window (at worst early, for
    // an event forgotten and admitted again since — dedup is then merely weaker, never wrong).
    const oldModel = this.ringModels[this.next];
    if (oldModel !== undefined) this.remove(oldModel, this.ringIds[this.next]!);
    this.ringModels[this.next] = model;
    this.ringIds[this.next] = eventId;
    this.next = (this.next + 1) % this.capacity;
    // Looked up after the eviction, which may have dropped this model's (then empty) set.
    let ids = this.byModel.get(model);
    if (ids === undefined) {
      ids = new Set();
      this.byModel.set(model, ids);
    }
    ids.add(eventId);
    this.count++;
    return true;
  }

  /** Forget events admitted for rows that were never stored (a batch abandoned on rebalance). */
  forget(keys: Iterable<EventKey>): void {
    for (const { model, eventId } of keys) this.remove(model, eventId);
  }

  clear(): void {
    this.byModel.clear();
    this.ringModels.fill(undefined);
    this.ringIds.fill(undefined);
    this.next = 0;
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  private remove(model: string, eventId: string): void {
    const ids = this.byModel.get(model);
    if (ids === undefined || !ids.delete(eventId)) return;
    this.count--;
    if (ids.size === 0) this.byModel.delete(model);
  }
}
