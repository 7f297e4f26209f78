// Times in requests (the forms schemas/times.ts documents: RFC 3339 date-times and dates,
// epoch milliseconds, durations back from now) and in answers (RFC 3339 UTC text).
import { DURATION_UNIT_MS } from "../config/index.js";
import { parseRfc3339 } from "../ingest/index.js";
import { invalidField } from "./error-codes.js";
import {
  type DURATION_UNITS,
  DATE_PATTERN,
  DATE_TIME_PATTERN,
  DURATION_PATTERN,
  EPOCH_MS_PATTERN,
  MAX_TIME_MS,
  TIME_HINT,
} from "./schemas/times.js";

const matches = (pattern: string, text: string) => new RegExp(pattern, "u").test(text);

/** Epoch ms of a time given as text, or undefined when it is none of the documented forms. */
function textTime(text: string, nowMs: number): number | undefined {
  if (matches(EPOCH_MS_PATTERN, text)) return Number(text);
  if (matches(DURATION_PATTERN, text)) {
    return Math.max(
      0,
      nowMs -
        Number(text.slice(0, -1)) * DURATION_UNIT_MS[text.slice(-1) as keyof typeof DURATION_UNITS],
    );
  }
  const iso = matches(DATE_PATTERN, text)
    ? `${text}T00:00:00Z`
    : matches(DATE_TIME_PATTERN, text)
      ? text
      : undefined;
  if (iso === undefined) return undefined;
  const parsed = parseRfc3339(iso);
  // A date-time of 1970-01-01 whose offset puts it before the epoch counts as the epoch.
  return typeof parsed === "number" ? Math.max(0, parsed) : undefined;
}

/** Epoch ms of a request time, or a 400 naming `field`. */
export function requestTime(value: string | number, field: string, nowMs: number): number {
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0 || value > MAX_TIME_MS) {
      throw invalidField(field, `epoch milliseconds must be an integer in 0-${MAX_TIME_MS}`);
    }
    return value;
  }
  const parsed = textTime(value, nowMs);
  if (parsed === undefined) throw invalidField(field, `${JSON.stringify(value)} ${TIME_HINT}`);
  return parsed;
}

/** RFC 3339 text of epoch ms; null when absent or not finite. */
export function isoTime(ms: number | undefined): string | null {
  return ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

/** The relation timeRange checks, in words for the document's 400. */
export const RANGE_ORDER = "a `from` not before `to` (`to` defaults to now; field `from`)";

/**
 * A [from, to) range from optional request times: `to` defaults to now, `from` to the
 * `defaultSpanMs` before `to` (not before 1970). A `from` given at or after `to` is a 400.
 */
export function timeRange(
  from: string | number | undefined,
  to: string | number | undefined,
  defaultSpanMs: number,
  nowMs: number,
): { from: number; to: number } {
  const end = to === undefined ? nowMs : requestTime(to, "to", nowMs);
  const start =
    from === undefined ? Math.max(0, end - defaultSpanMs) : requestTime(from, "from", nowMs);
  if (from !== undefined && start >= end) {
    throw invalidField(
      "from",
      to === undefined ? "must be before to (default: now)" : "must be before to",
    );
  }
  return { from: start, to: end };
}
