// The schema kit every config section is built from, alerts' included: string enums, secrets,
// bounded integers, the one duration grammar, and the type of a problem found after validation.
import {
  Type,
  type TSchema,
  type TString,
  type TUnsafe,
  type SchemaOptions,
} from "@sinclair/typebox";

/**
 * A string restricted to `values`, emitted as JSON Schema `enum` so a bad value gets one
 * readable error ("must be one of a, b, c") instead of one per union member.
 */
export function StringEnum<const Values extends readonly string[]>(
  values: Values,
  options: SchemaOptions = {},
): TUnsafe<Values[number]> {
  return Type.Unsafe<Values[number]>({ ...options, type: "string", enum: [...values] });
}

/**
 * A string holding a secret (password, token). `redactConfig` replaces every value whose schema
 * carries `secret: true`, so a section marks its own secrets and nothing else needs to know.
 */
export function Secret(options: SchemaOptions = {}): TString {
  return Type.String({ ...options, secret: true });
}

/** Whether a schema node is marked as a secret. */
export function isSecretSchema(schema: TSchema): boolean {
  return (schema as { secret?: unknown }).secret === true;
}

/** A non-negative integer with a default. */
export function Count(defaultValue: number, options: SchemaOptions = {}) {
  return Type.Integer({ minimum: 0, ...options, default: defaultValue });
}

/** A positive integer with a default. */
export function PositiveInteger(defaultValue: number, options: SchemaOptions = {}) {
  return Type.Integer({ minimum: 1, ...options, default: defaultValue });
}

/** An object section: unknown keys are rejected (they are usually typos) and it defaults to {}. */
export const SECTION = { additionalProperties: false, default: {} } as const;

/** A problem the schema cannot express (relations between fields), found after validation. */
export interface ConfigCheckIssue {
  /** Path of the offending value, e.g. ["ingest", "retry", "maxBackoffMs"]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Milliseconds of each duration unit. */
export const DURATION_UNIT_MS = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

export type DurationUnit = keyof typeof DURATION_UNIT_MS;

/**
 * The one duration grammar of the config: numbers with units, largest first or not, summed:
 * "250ms", "30s", "5m", "1h30m", "2d", "1w".
 */
export const DURATION_PATTERN = "^([0-9]+(ms|s|m|h|d|w))+$";
const DURATION_PART = /([0-9]+)(ms|s|m|h|d|w)/g;
const DURATION_HINT = 'must be a duration such as "30s", "5m", "1h30m", "2d" or "250ms"';

/** A duration string with a default, e.g. `Duration("30s")`. */
export function Duration(defaultValue: string, description?: string): TString {
  return Type.String({
    pattern: DURATION_PATTERN,
    patternHint: DURATION_HINT,
    default: defaultValue,
    ...(description !== undefined ? { description } : {}),
  });
}

/** An optional duration string (no default). */
export function OptionalDuration(description?: string): TString {
  return Type.String({
    pattern: DURATION_PATTERN,
    patternHint: DURATION_HINT,
    ...(description !== undefined ? { description } : {}),
  });
}

/** "1h30m" → 5_400_000. Throws on text the schema would have rejected. */
export function parseDuration(text: string): number {
  if (!new RegExp(DURATION_PATTERN).test(text)) {
    throw new RangeError(`invalid duration ${JSON.stringify(text)}: use e.g. "30s", "5m", "1h30m"`);
  }
  let total = 0;
  for (const match of text.matchAll(DURATION_PART)) {
    total += Number(match[1]) * DURATION_UNIT_MS[match[2] as DurationUnit];
  }
  return total;
}

/** 5_400_000 → "1h30m" (for messages and docs; weeks are written as days). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = Math.round(ms);
  let text = "";
  for (const unit of ["d", "h", "m", "s", "ms"] as const) {
    const size = DURATION_UNIT_MS[unit];
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}
