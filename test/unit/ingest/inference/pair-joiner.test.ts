// The join state and the offsets it lets commit: halves join in either order, resends are
// duplicates, halves expire by log time while catching up and by wall time once caught up, and
// (property) over any interleaving with duplicates and orphans every pair joins exactly once
// and the committable offset never passes a half that is not settled.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KafkaRecord } from "../../../../src/kafka/index.js";
import {
  OffsetTracker,
  PartitionJoiner,
  type Half,
} from "../../../../src/ingest/inference/pair-joiner.js";

function half(
  pairId: string,
  side: "request" | "response",
  offset: number,
  timestampMs = 1_000,
): Half {
  const record: KafkaRecord = {
    offset,
    timestampMs,
    key: Buffer.from(pairId),
    value: null,
    headers: {},
  };
  return { pairId, side, partition: 0, record };
}

describe("PartitionJoiner", () => {
  it("joins in either order and reports the request and the response", () => {
    const joiner = new PartitionJoiner();
    expect(joiner.add(half("a", "response", 0))).toEqual({ kind: "waiting" });
    const joined = joiner.add(half("a", "request", 1));
    expect(joined).toMatchObject({
      kind: "joined",
      request: { side: "request" },
      response: { side: "response" },
    });
    expect(joiner.add(half("b", "request", 2)).kind).toBe("waiting");
    expect(joiner.add(half("b", "response", 3)).kind).toBe("joined");
    expect(joiner.size).toBe(0);
  });

  it("treats a resent half, waiting or lately joined, as a duplicate", () => {
    const joiner = new PartitionJoiner();
    joiner.add(half("a", "request", 0));
    expect(joiner.add(half("a", "request", 1)).kind).toBe("duplicate");
    expect(joiner.add(half("a", "response", 2)).kind).toBe("joined");
    expect(joiner.add(half("a", "response", 3)).kind).toBe("duplicate");
    expect(joiner.add(half("a", "request", 4)).kind).toBe("duplicate");
  });

  it("expires by log time while catching up, by wall time once caught up", () => {
    const joiner = new PartitionJoiner();
    joiner.add(half("old", "request", 0, 1_000));
    joiner.add(half("young", "request", 1, 5_000));
    // Not caught up: a record 30 s younger than "old" was read, none that young after "young".
    joiner.add(half("late", "request", 2, 31_500));
    expect(joiner.expire(1e12, false, 30_000).map((h) => h.pairId)).toEqual(["old"]);
    expect(joiner.expire(40_000, true, 30_000).map((h) => h.pairId)).toEqual(["young"]);
    expect(joiner.size).toBe(1);
    expect(joiner.evictOldest()?.pairId).toBe("late");
  });
});

describe("OffsetTracker", () => {
  it("commits up to the lowest unsettled offset", () => {
    const tracker = new OffsetTracker();
    expect(tracker.committable()).toBe(-1);
    for (const offset of [10, 11, 12, 13]) tracker.consumed(offset);
    expect(tracker.committable()).toBe(10);
    tracker.settle(11);
    tracker.settle(13);
    expect(tracker.committable()).toBe(10);
    tracker.settle(10);
    expect(tracker.committable()).toBe(12);
    tracker.settle(12);
    expect(tracker.committable()).toBe(14);
  });
});

describe("joining any interleaving (property)", () => {
  const pairIds = fc.uniqueArray(fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }), {
    minLength: 1,
    maxLength: 30,
  });

  it("joins every complete pair once, never commits past an unsettled half", () => {
    fc.assert(
      fc.property(
        pairIds,
        fc.array(fc.nat(), { maxLength: 200 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        (ids, order, shapes) => {
          // Each pair: both halves, or an orphan (one half), some halves resent.
          const halves: { pairId: string; side: "request" | "response" }[] = [];
          ids.forEach((pairId, index) => {
            const orphan = shapes[index * 2] === true;
            const resend = shapes[index * 2 + 1] === true;
            halves.push({ pairId, side: "request" });
            if (!orphan) halves.push({ pairId, side: "response" });
            if (resend) halves.push({ pairId, side: orphan ? "request" : "response" });
          });
          // Shuffle deterministically by `order`.
          for (let i = halves.length - 1; i > 0; i--) {
            const j = (order[i] ?? 0) % (i + 1);
            [halves[i], halves[j]] = [halves[j]!, halves[i]!];
          }
          const joiner = new PartitionJoiner();
          const tracker = new OffsetTracker();
          const joined = new Map<string, number>();
          const unsettled = new Set<number>();
          halves.forEach(({ pairId, side }, offset) => {
            tracker.consumed(offset);
            unsettled.add(offset);
            const outcome = joiner.add(half(pairId, side, offset));
            if (outcome.kind === "duplicate") {
              tracker.settle(offset);
              unsettled.delete(offset);
            } else if (outcome.kind === "joined") {
              joined.set(pairId, (joined.get(pairId) ?? 0) + 1);
              for (const settled of [
                outcome.request.record.offset,
                outcome.response.record.offset,
              ]) {
                tracker.settle(settled);
                unsettled.delete(settled);
              }
            }
            const committable = tracker.committable();
            if ([...unsettled].some((open) => open < committable))
              throw new Error("past unsettled");
          });
          const complete = ids.filter((_, index) => shapes[index * 2] !== true);
          expect([...joined.keys()].sort()).toEqual([...complete].sort());
          expect([...joined.values()].every((count) => count === 1)).toBe(true);
          expect(joiner.size).toBe(ids.length - complete.length);
          // The orphans expire; once settled, everything is committable.
          for (const orphan of joiner.expire(Number.MAX_SAFE_INTEGER, true, 1)) {
            tracker.settle(orphan.record.offset);
          }
          expect(tracker.committable()).toBe(halves.length);
        },
      ),
      { seed: 16, numRuns: 300 },
    );
  });
});
