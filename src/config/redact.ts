// redactConfig: a copy of the config safe to log, every value whose schema is marked secret hidden.
import type { TSchema } from "@sinclair/typebox";
import { isSecretSchema } from "./schema/helpers.js";
import { ConfigSchema, type DriftwatchConfig } from "./schema/index.js";

export const REDACTED = "[redacted]";

/** Deep copy of `config` with secrets (schema `secret: true`) replaced by "[redacted]". */
export function redactConfig(config: DriftwatchConfig): Record<string, unknown> {
  return redactValue(config, ConfigSchema) as Record<string, unknown>;
}

function redactValue(value: unknown, schema: TSchema | undefined): unknown {
  if (value === undefined || value === null) return value;
  if (schema !== undefined && isSecretSchema(schema)) return REDACTED;
  if (Array.isArray(value)) {
    const items = (schema as { items?: TSchema } | undefined)?.items;
    return value.map((item) => redactValue(item, items));
  }
  if (typeof value === "object") {
    const properties =
      (schema as { properties?: Record<string, TSchema> } | undefined)?.properties ?? {};
    const additional = (schema as { additionalProperties?: unknown } | undefined)
      ?.additionalProperties;
    const fallback = typeof additional === "object" ? (additional as TSchema) : undefined;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        redactValue(item, properties[key] ?? fallback),
      ]),
    );
  }
  return value;
}
