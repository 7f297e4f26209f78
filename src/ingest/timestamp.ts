// Event-time parsing for the event contract: RFC 3339 text or epoch milliseconds, checked field by
// field (no silent roll-over of 30 February) and within the range a ClickHouse DateTime can hold.

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** DateTime is a UInt32 of epoch seconds: 1970-01-01 … 2106-02-07. */
const MAX_EPOCH_MS = 4_294_967_295_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Epoch milliseconds of an RFC 3339 timestamp, or an explanation of why it is not one. */
export function parseRfc3339(text: string): number | string {
  const match = RFC3339.exec(text);
  if (match === null) return "not an RFC 3339 date-time (e.g. 2026-11-23T08:00:00.123Z)";
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12) return `month ${mo} out of range`;
  if (day < 1 || day > daysInMonth(year, month)) return `day ${d} out of range for ${y}-${mo}`;
  if (hour > 23 || minute > 59 || second > 60) return "time of day out of range";
  let offsetMs = 0;
  if (zulu === undefined) {
    const oh = Number(offsetHours);
    const om = Number(offsetMinutes);
    if (oh > 23 || om > 59) return "time zone offset out of range";
    offsetMs = (sign === "-" ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  // A leap second (:60) counts as the last millisecond of its minute.
  const millis =
    second === 60 ? 999 : fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, "0"));
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis);
  return utc - offsetMs;
}

/**
 * Epoch milliseconds of an event's `timestamp` field, `fallbackMs` (the Kafka record's timestamp)
 * when absent or null, or an explanation string when the value is not acceptable.
 */
export function eventTimeMs(value: unknown, fallbackMs: number): number | string {
  let ms: number;
  if (value === undefined || value === null) ms = fallbackMs;
  else if (typeof value === "number") {
    if (!Number.isInteger(value)) return "epoch milliseconds must be an integer";
    ms = value;
  } else if (typeof value === "string") {
    const parsed = parseRfc3339(value);
    if (typeof parsed === "string") return parsed;
    ms = parsed;
  } else return `expected an RFC 3339 string or epoch milliseconds, got ${jsonType(value)}`;
  if (ms < 0 || ms > MAX_EPOCH_MS) return "outside 1970-01-01 … 2106-02-07";
  return ms;
}

/** The JSON type name of a parsed value, for error details. */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
