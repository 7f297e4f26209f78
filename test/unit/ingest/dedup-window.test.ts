// The bounded dedup window and the retry backoff.
import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "../../../src/ingest/backoff.js";
import { DedupWindow } from "../../../src/ingest/dedup-window.js";

describe("DedupWindow", () => {
  it("drops a key seen within the window and forgets the oldest beyond it", () => {
    const window = new DedupWindow(3);
    expect(["a", "b", "c"].map((key) => window.admit(key))).toEqual([true, true, true]);
    expect(window.admit("a")).toBe(false);
    expect(window.admit("d")).toBe(true); // evicts "a", the oldest
    expect(window.size).toBe(3);
    expect(window.admit("a")).toBe(true);
    expect(window.admit("b")).toBe(true); // "b" was evicted by "a"
  });

  it("forgets keys of a batch that was never stored", () => {
    const window = new DedupWindow(10);
    window.admit("x");
    window.forget(["x"]);
    expect(window.admit("x")).toBe(true);
  });

  it("keys on model and event_id together", () => {
    // Model names never contain NUL (validated), so the separator cannot be ambiguous.
    expect(DedupWindow.key("m1", "e")).not.toBe(DedupWindow.key("m2", "e"));
    expect(DedupWindow.key("m", "e1")).not.toBe(DedupWindow.key("m", "e2"));
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
