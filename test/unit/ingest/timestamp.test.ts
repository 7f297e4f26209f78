// RFC 3339 parsing and event-time rules, and the time arguments of `dlq`.
import { describe, expect, it } from "vitest";
import { eventTimeMs, parseRfc3339 } from "../../../src/ingest/timestamp.js";
import { parseTimeArgument } from "../../../src/ingest/time-argument.js";

describe("parseRfc3339", () => {
  it.each([
    ["2026-11-23T08:00:00Z", Date.UTC(2026, 10, 23, 8)],
    ["2026-11-23t08:00:00.5z", Date.UTC(2026, 10, 23, 8, 0, 0, 500)],
    ["2026-11-23 08:00:00.123456789Z", Date.UTC(2026, 10, 23, 8, 0, 0, 123)],
    ["2026-11-23T08:00:00-05:30", Date.UTC(2026, 10, 23, 13, 30)],
    ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
    ["2026-12-31T23:59:60Z", Date.UTC(2026, 11, 31, 23, 59, 59, 999)],
  ])("%s", (text, expected) => {
    expect(parseRfc3339(text)).toBe(expected);
  });

  it.each([
    "2025-02-29T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-11-23T24:00:00Z",
    "2026-11-23T08:00:00+25:00",
    "2026-11-23",
    "23/11/2026 08:00",
    "2026-11-23T08:00:00",
  ])("rejects %s", (text) => {
    expect(typeof parseRfc3339(text)).toBe("string");
  });
});

describe("eventTimeMs", () => {
  it("falls back to the Kafka timestamp for absent or null", () => {
    expect(eventTimeMs(undefined, 1234)).toBe(1234);
    expect(eventTimeMs(null, 1234)).toBe(1234);
  });

  it("rejects what a DateTime column cannot hold", () => {
    expect(eventTimeMs(4_294_967_296_000, 0)).toMatch(/outside/);
    expect(eventTimeMs(true, 0)).toMatch(/got boolean/);
  });
});

describe("parseTimeArgument", () => {
  const now = Date.UTC(2026, 10, 23, 12);
  it.each([
    ["15m", now - 15 * 60_000],
    ["6h", now - 6 * 3_600_000],
    ["7d", now - 7 * 86_400_000],
    ["2026-11-20", Date.UTC(2026, 10, 20)],
    ["2026-11-20T10:00:00Z", Date.UTC(2026, 10, 20, 10)],
    ["1795420800000", 1_795_420_800_000],
  ])("%s", (text, expected) => {
    expect(parseTimeArgument(text, now)).toBe(expected);
  });

  it("explains what it accepts", () => {
    expect(parseTimeArgument("yesterday", now)).toMatch(/RFC 3339.*duration/);
  });
});
