// The bounded dedup window and the retry backoff.
import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "../../../src/ingest/backoff.js";
import { DedupWindow } from "../../../src/ingest/dedup-window.js";

describe("DedupWindow", () => {
  it("drops an event seen within the window and forgets the oldest beyond it", () => {
    const window = new DedupWindow(3);
    expect(["a", "b", "c"].map((id) => window.admit("m", id))).toEqual([true, true, true]);
    expect(window.admit("m", "a")).toBe(false);
    expect(window.admit("m", "d")).toBe(true); // evicts "a", the oldest
    expect(window.size).toBe(3);
    expect(window.admit("m", "a")).toBe(true);
    expect(window.admit("m", "b")).toBe(true); // "b" was evicted by "a"
    expect(window.size).toBe(3);
  });

  it("forgets events of a batch that was never stored", () => {
    const window = new DedupWindow(10);
    window.admit("m", "x");
    window.forget([{ model: "m", eventId: "x" }]);
    expect(window.size).toBe(0);
    expect(window.admit("m", "x")).toBe(true);
  });

  it("stays bounded when forgotten events are admitted again", () => {
    const window = new DedupWindow(2);
    for (let round = 0; round < 10; round++) {
      window.admit("m", "x");
      window.forget([{ model: "m", eventId: "x" }]);
      window.admit("m", `y${round}`);
    }
    expect(window.size).toBeLessThanOrEqual(2);
  });

  it("tells models apart", () => {
    const window = new DedupWindow(10);
    expect(window.admit("m1", "e")).toBe(true);
    expect(window.admit("m2", "e")).toBe(true);
    expect(window.admit("m1", "e")).toBe(false);
  });

  it("needs a positive capacity", () => {
    expect(() => new DedupWindow(0)).toThrow(/positive integer/);
  });
});

describe("backoffDelayMs", () => {
  const policy = { minBackoffMs: 200, maxBackoffMs: 5_000 };
  it("grows exponentially up to the maximum, jittered within [min/2, ceiling]", () => {
    expect(backoffDelayMs(policy, 0, () => 0)).toBe(100);
    expect(backoffDelayMs(policy, 0, () => 1)).toBe(200);
    expect(backoffDelayMs(policy, 3, () => 1)).toBe(1_600);
    expect(backoffDelayMs(policy, 10, () => 1)).toBe(5_000);
    expect(backoffDelayMs(policy, 1_000, () => 0.5)).toBe(Math.round(100 + 0.5 * 4_900));
  });
});
