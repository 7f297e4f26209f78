// redactConfig: a copy of the config safe to log, every value whose schema is marked secret hidden.
import type { TSchema } from "@sinclair/typebox";
import { isSecretSchema } from "./schema/kit.js";
import { ConfigSchema, type DriftwatchConfig } from "./schema/index.js";

export const REDACTED = "[redacted]";

/** Deep copy of `config` with secrets (schema `secret: true`) replaced by "[redacted]". */
export function redactConfig(config: DriftwatchConfig): Record<string, unknown> {
  return redactWithSchema(config, ConfigSchema) as Record<string, unknown>;
}

interface SchemaShape {
  readonly items?: TSchema;
  readonly properties?: Readonly<Record<string, TSchema>>;
  readonly patternProperties?: Readonly<Record<string, TSchema>>;
  readonly additionalProperties?: unknown;
  readonly anyOf?: readonly TSchema[];
  readonly oneOf?: readonly TSchema[];
  readonly allOf?: readonly TSchema[];
}

/**
 * Deep copy of `value` with every part whose schema is marked secret replaced by "[redacted]".
 * Follows properties, records (patternProperties / additionalProperties), arrays and unions
 * (a value is hidden when any branch marks it secret).
 */
export function redactWithSchema(value: unknown, schema: TSchema | undefined): unknown {
  if (value === undefined || value === null || schema === undefined) return value;
  if (isSecretSchema(schema)) return REDACTED;
  const shape = schema as SchemaShape;
  const branches = [...(shape.anyOf ?? []), ...(shape.oneOf ?? []), ...(shape.allOf ?? [])];
  let result: unknown = value;
  for (const branch of branches) result = redactWithSchema(result, branch);
  if (Array.isArray(result)) {
    return result.map((item: unknown) => redactWithSchema(item, shape.items));
  }
  if (result !== null && typeof result === "object") {
    return Object.fromEntries(
      Object.entries(result).map(([key, item]) => [
        key,
        redactWithSchema(item, schemaOfKey(shape, key)),
      ]),
    );
  }
  return result;
}

function schemaOfKey(shape: SchemaShape, key: string): TSchema | undefined {
  const declared = shape.properties?.[key];
  if (declared !== undefined) return declared;
  for (const [pattern, schema] of Object.entries(shape.patternProperties ?? {})) {
    if (new RegExp(pattern, "u").test(key)) return schema;
  }
  return typeof shape.additionalProperties === "object"
    ? (shape.additionalProperties as TSchema)
    : undefined;
}
