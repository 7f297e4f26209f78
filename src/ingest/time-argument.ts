// Parses the --since / --until arguments of `dlq`: RFC 3339, a date (YYYY-MM-DD, UTC midnight),
// epoch milliseconds, or a duration back from now ("90s", "15m", "6h", "7d").
import { parseRfc3339 } from "./timestamp.js";

const DURATION = /^(\d+)\s*(s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Epoch milliseconds, or an explanation of what is accepted. */
export function parseTimeArgument(text: string, nowMs: number): number | string {
  const trimmed = text.trim();
  const duration = DURATION.exec(trimmed);
  if (duration !== null) return nowMs - Number(duration[1]) * UNIT_MS[duration[2]!]!;
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    const parsed = parseRfc3339(`${trimmed}T00:00:00Z`);
    if (typeof parsed === "number") return parsed;
  } else if (/^\d{10,}$/.test(trimmed)) {
    return Number(trimmed);
  } else {
    const parsed = parseRfc3339(trimmed);
    if (typeof parsed === "number") return parsed;
  }
  return `${JSON.stringify(text)} is not a time: use RFC 3339 (2026-11-23T08:00:00Z), a date (2026-11-23), epoch milliseconds, or a duration back from now (15m, 6h, 7d)`;
}
