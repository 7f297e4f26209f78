// Durations in the alerts config: Prometheus-style text ("30s", "5m", "1h30m", "250ms", "2d")
// as a schema type, and its conversion to milliseconds.
import { Type, type TString } from "@sinclair/typebox";

const DURATION_PATTERN = "^([0-9]+(ms|s|m|h|d))+$";
const DURATION_PART = /([0-9]+)(ms|s|m|h|d)/g;

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A duration string with a default, e.g. `Duration("30s")`. */
export function Duration(defaultValue: string, description?: string): TString {
  return Type.String({
    pattern: DURATION_PATTERN,
    patternHint: 'must be a duration such as "30s", "5m", "1h30m" or "250ms"',
    default: defaultValue,
    ...(description !== undefined ? { description } : {}),
  });
}

/** An optional duration string (no default). */
export function OptionalDuration(description?: string): TString {
  return Type.String({
    pattern: DURATION_PATTERN,
    patternHint: 'must be a duration such as "30s", "5m", "1h30m" or "250ms"',
    ...(description !== undefined ? { description } : {}),
  });
}

/** "1h30m" → 5_400_000. Throws on text the schema would have rejected. */
export function parseDuration(text: string): number {
  if (!new RegExp(DURATION_PATTERN).test(text)) {
    throw new Error(`invalid duration ${JSON.stringify(text)}: use e.g. "30s", "5m", "1h30m"`);
  }
  let total = 0;
  for (const match of text.matchAll(DURATION_PART)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  return total;
}

/** 5_400_000 → "1h30m" (for messages and docs). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = Math.round(ms);
  let text = "";
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
    ["ms", 1],
  ] as const) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}
