// Environment variables that override config values (they win over the file and the defaults).
import type { ConfigPath } from "./errors.js";

interface EnvOverride {
  readonly variable: string;
  readonly path: ConfigPath;
  readonly parse: (text: string) => unknown;
}

const asText = (text: string): unknown => text;
const asList = (text: string): unknown =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
// Left as text when it is not an integer, so the schema reports "must be an integer".
const asInteger = (text: string): unknown => (/^\s*\d+\s*$/.test(text) ? Number(text) : text);
// Left as text when it is not true/false, so the schema reports "must be a boolean".
const asBoolean = (text: string): unknown => {
  const value = text.trim().toLowerCase();
  return value === "true" ? true : value === "false" ? false : text;
};

export const ENV_OVERRIDES: readonly EnvOverride[] = [
  { variable: "DRIFTWATCH_KAFKA_BROKERS", path: ["kafka", "brokers"], parse: asList },
  {
    variable: "DRIFTWATCH_KAFKA_SASL_MECHANISM",
    path: ["kafka", "sasl", "mechanism"],
    parse: asText,
  },
  {
    variable: "DRIFTWATCH_KAFKA_SASL_USERNAME",
    path: ["kafka", "sasl", "username"],
    parse: asText,
  },
  {
    variable: "DRIFTWATCH_KAFKA_SASL_PASSWORD",
    path: ["kafka", "sasl", "password"],
    parse: asText,
  },
  { variable: "DRIFTWATCH_CLICKHOUSE_URL", path: ["clickhouse", "url"], parse: asText },
  { variable: "DRIFTWATCH_CLICKHOUSE_DATABASE", path: ["clickhouse", "database"], parse: asText },
  { variable: "DRIFTWATCH_CLICKHOUSE_CLUSTER", path: ["clickhouse", "cluster"], parse: asText },
  { variable: "DRIFTWATCH_CLICKHOUSE_USER", path: ["clickhouse", "username"], parse: asText },
  { variable: "DRIFTWATCH_CLICKHOUSE_PASSWORD", path: ["clickhouse", "password"], parse: asText },
  { variable: "DRIFTWATCH_PORT", path: ["server", "port"], parse: asInteger },
  { variable: "DRIFTWATCH_HOST", path: ["server", "host"], parse: asText },
  {
    variable: "DRIFTWATCH_ALLOW_ANONYMOUS",
    path: ["server", "allowAnonymous"],
    parse: asBoolean,
  },
];

/** Where an overridden value came from, to attribute validation errors to the variable. */
export interface AppliedOverride {
  readonly variable: string;
  readonly path: ConfigPath;
}

/** Set every overriding variable present in `env` into `raw` (a plain object), in place. */
export function applyEnvOverrides(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): AppliedOverride[] {
  const applied: AppliedOverride[] = [];
  for (const override of ENV_OVERRIDES) {
    const text = env[override.variable];
    if (text === undefined) continue;
    if (setIn(raw, override.path, override.parse(text))) {
      applied.push({ variable: override.variable, path: override.path });
    }
  }
  return applied;
}

function setIn(target: Record<string, unknown>, path: ConfigPath, value: unknown): boolean {
  let node: Record<string, unknown> = target;
  for (const segment of path.slice(0, -1)) {
    const key = String(segment);
    const next = node[key];
    if (next === undefined || next === null) {
      node[key] = {};
    } else if (typeof next !== "object" || Array.isArray(next)) {
      return false; // the file has a non-object here; the schema reports it
    }
    node = node[key] as Record<string, unknown>;
  }
  node[String(path[path.length - 1])] = value;
  return true;
}
