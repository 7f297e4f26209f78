// Times in requests (RFC 3339 text, a date, epoch milliseconds, or a duration back from now such as
// 6h) and in answers (RFC 3339 UTC text).
import { parseTimeArgument } from "../ingest/time-argument.js";
import { invalidField } from "./error-codes.js";

/** Epoch ms of a request time, or a 400 naming `field`. */
export function requestTime(value: string | number, field: string, nowMs: number): number {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw invalidField(field, "epoch milliseconds must be a non-negative integer");
    }
    return value;
  }
  // Digits only: epoch milliseconds, however many (a query string carries every value as text).
  if (/^\d+$/.test(value.trim())) return requestTime(Number(value), field, nowMs);
  const parsed = parseTimeArgument(value, nowMs);
  if (typeof parsed === "string") throw invalidField(field, parsed);
  return parsed;
}

/** RFC 3339 text of epoch ms; null when absent or not finite. */
export function isoTime(ms: number | undefined): string | null {
  return ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

/** A [from, to) range from optional request times: default the `defaultSpanMs` before now. */
export function timeRange(
  from: string | number | undefined,
  to: string | number | undefined,
  defaultSpanMs: number,
  nowMs: number,
): { from: number; to: number } {
  const end = to === undefined ? nowMs : requestTime(to, "to", nowMs);
  const start = from === undefined ? end - defaultSpanMs : requestTime(from, "from", nowMs);
  if (start >= end) throw invalidField("from", "must be before to");
  return { from: start, to: end };
}
