// The join state of one partition of a join topic: halves waiting for their partner by pair id,
// and the ids of pairs joined lately (a resent half of one is a duplicate, not a new wait).
// Both are bounded: waiting halves expire after the join wait (measured in the partition's log
// time while catching up, in wall time once caught up) and the caller evicts the oldest beyond
// its limit; the recent ids are a ring. Pure: no Kafka, no clock of its own.
import type { KafkaRecord } from "../../kafka/index.js";
import type { HalfSide } from "./cloudevents.js";

export interface Half {
  readonly pairId: string;
  readonly side: HalfSide;
  readonly partition: number;
  readonly record: KafkaRecord;
}

export type JoinOutcome =
  | { readonly kind: "joined"; readonly request: Half; readonly response: Half }
  | { readonly kind: "waiting" }
  | { readonly kind: "duplicate" };

/** Pair ids remembered per partition after joining. */
const RECENT_PAIRS = 8_192;

export class PartitionJoiner {
  /** Waiting halves by pair id, oldest first (Map keeps insertion order). */
  private readonly waiting = new Map<string, Half>();
  private readonly recentIds: (string | undefined)[] = new Array<string | undefined>(
    RECENT_PAIRS,
  ).fill(undefined);
  private readonly recent = new Set<string>();
  private nextRecent = 0;
  /** Highest record timestamp seen (the partition's log time). */
  private logTimeMs = Number.NEGATIVE_INFINITY;

  get size(): number {
    return this.waiting.size;
  }

  add(half: Half): JoinOutcome {
    this.logTimeMs = Math.max(this.logTimeMs, half.record.timestampMs);
    if (this.recent.has(half.pairId)) return { kind: "duplicate" };
    const partner = this.waiting.get(half.pairId);
    if (partner === undefined) {
      this.waiting.set(half.pairId, half);
      return { kind: "waiting" };
    }
    if (partner.side === half.side) return { kind: "duplicate" };
    this.waiting.delete(half.pairId);
    this.remember(half.pairId);
    return half.side === "request"
      ? { kind: "joined", request: half, response: partner }
      : { kind: "joined", request: partner, response: half };
  }

  /**
   * Remove and return the halves that waited longer than `waitMs`: by log time (a later record
   * of the partition is more than `waitMs` younger), or by wall time once the partition is
   * caught up (nothing more to read that could hold the partner).
   */
  expire(nowMs: number, caughtUp: boolean, waitMs: number): Half[] {
    const expired: Half[] = [];
    for (const [pairId, half] of this.waiting) {
      const born = half.record.timestampMs;
      if (this.logTimeMs - born > waitMs || (caughtUp && nowMs - born > waitMs)) {
        this.waiting.delete(pairId);
        expired.push(half);
      } else if (!caughtUp) {
        // Oldest first: when the log-time test fails for this one, it fails for the rest.
        break;
      }
    }
    return expired;
  }

  /** The oldest waiting half, removed (when the join state is full). */
  evictOldest(): Half | undefined {
    for (const [pairId, half] of this.waiting) {
      this.waiting.delete(pairId);
      return half;
    }
    return undefined;
  }

  /** Timestamp of the oldest waiting half (Infinity when none waits). */
  oldestTimestampMs(): number {
    for (const half of this.waiting.values()) return half.record.timestampMs;
    return Number.POSITIVE_INFINITY;
  }

  private remember(pairId: string): void {
    const old = this.recentIds[this.nextRecent];
    if (old !== undefined) this.recent.delete(old);
    this.recentIds[this.nextRecent] = pairId;
    this.recent.add(pairId);
    this.nextRecent = (this.nextRecent + 1) % RECENT_PAIRS;
  }
}

/**
 * The offsets of one partition not yet settled (joined and produced, or dead-lettered): the
 * partition may be committed up to the lowest of them, never beyond, so a crash loses nothing.
 */
export class OffsetTracker {
  private readonly open: number[] = [];
  private head = 0;
  private readonly settled = new Set<number>();
  private next = -1;

  /** A record was consumed (offsets arrive in increasing order). */
  consumed(offset: number): void {
    this.open.push(offset);
    this.next = offset + 1;
  }

  settle(offset: number): void {
    this.settled.add(offset);
  }

  /** The offset to commit: the lowest unsettled one, or past the last consumed (−1: none). */
  committable(): number {
    while (this.head < this.open.length && this.settled.has(this.open[this.head]!)) {
      this.settled.delete(this.open[this.head]!);
      this.head++;
    }
    if (this.head > 1_024 && this.head * 2 > this.open.length) {
      this.open.splice(0, this.head);
      this.head = 0;
    }
    return this.head < this.open.length ? this.open[this.head]! : this.next;
  }

  /** Consumed offsets not settled yet. */
  get unsettled(): number {
    return this.open.length - this.head - this.settled.size;
  }
}
