// The time in a `--chunk-by` column, in UTC epoch milliseconds: a number (epoch milliseconds) or
// RFC 3339 text — 2026-11-23T08:00:00.123Z, with an offset (+02:00), a space instead of the T,
// without seconds, or a date alone (midnight); text without an offset is read as UTC.
const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?$/;
/** ±100,000,000 days around the epoch: what a JavaScript Date can hold. */
const MAX_EPOCH_MS = 8.64e15;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Epoch milliseconds of RFC 3339 text, or null when it is not one. */
export function parseRfc3339(text: string): number | null {
  const match = RFC_3339.exec(text.trim());
  if (match === null) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Math.min(Number(s), 59); // a leap second (:60) counts as :59
  if (month < 1 || month > 12 || day < 1) return null;
  if (day > DAYS_IN_MONTH[month - 1]! || (month === 2 && day === 29 && !isLeapYear(year))) {
    return null;
  }
  if (hour > 23 || minute > 59 || Number(s) > 60) return null;
  const milliseconds = Number(`${fraction}000`.slice(0, 3)); // truncated to the millisecond
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== "Z" && zone !== "z") {
    const digits = zone.replace(":", "");
    const offsetHours = Number(digits.slice(1, 3));
    const offsetRest = Number(digits.slice(3, 5));
    if (offsetHours > 23 || offsetRest > 59) return null;
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (offsetHours * 60 + offsetRest);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, milliseconds);
  return date.getTime() - offsetMinutes * 60_000;
}

/** Epoch milliseconds of a number, or null when it is not a usable time. */
export function epochMilliseconds(value: number): number | null {
  return Number.isFinite(value) && Math.abs(value) <= MAX_EPOCH_MS ? Math.floor(value) : null;
}

/** An epoch-ms time as RFC 3339 UTC text, e.g. 2026-11-23T00:00:00.000Z. */
export function formatUtc(time: number): string {
  return new Date(time).toISOString();
}
