// Small schema builders shared by the config sections: string enums, secrets, bounded integers.
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
