// Schema validation of the raw config (Ajv on the TypeBox schema): fills defaults and turns Ajv's
// errors into ConfigIssues that name the YAML path and say plainly what is wrong.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { ConfigPath } from "./errors.js";
import { CONFIG_CHECKS, ConfigSchema, type DriftwatchConfig } from "./schema/index.js";

/** A validation problem before positions are attached. */
export interface RawIssue {
  readonly path: ConfigPath;
  readonly message: string;
  /** Point at the key itself (unknown keys) rather than the value. */
  readonly at: "value" | "key";
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv({
      allErrors: true,
      useDefaults: true,
      strict: true,
      verbose: true,
      // Lets a section tag its union branches (oneOf + discriminator) for one clear error.
      discriminator: true,
    });
    ajv.addKeyword("secret");
    ajv.addKeyword("patternHint");
    compiled = ajv.compile(ConfigSchema);
  }
  return compiled;
}

/**
 * Validate `raw` (mutated: defaults are filled in) and return the config or the issues found.
 */
export function validateConfig(
  raw: Record<string, unknown>,
): { config: DriftwatchConfig; issues: [] } | { config?: undefined; issues: RawIssue[] } {
  const validate = validator();
  if (!validate(raw)) {
    return { issues: (validate.errors ?? []).map((error) => toIssue(error, raw)) };
  }
  const config = raw as DriftwatchConfig;
  const issues = CONFIG_CHECKS.flatMap((check) => check(config)).map((issue) => ({
    ...issue,
    at: "value" as const,
  }));
  return issues.length > 0 ? { issues } : { config, issues: [] };
}

function toIssue(error: ErrorObject, raw: unknown): RawIssue {
  const path = pointerToPath(error.instancePath, raw);
  const params = error.params as Record<string, unknown>;
  const schema = (error.parentSchema ?? {}) as Record<string, unknown>;
  // Never echo a secret's value back, even a mistyped one.
  const shown = schema.secret === true ? "" : got(error.data);
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const known = Object.keys((schema.properties as object | undefined) ?? {});
      const suggestion = closest(key, known);
      const hint = suggestion !== undefined ? ` (did you mean "${suggestion}"?)` : "";
      return {
        path: [...path, key],
        at: "key",
        message: `unknown key "${key}"${hint}${known.length > 0 ? `; allowed keys: ${known.join(", ")}` : ""}`,
      };
    }
    case "required":
      return {
        path: [...path, String(params.missingProperty)],
        at: "value",
        message: "is required",
      };
    case "enum":
      return {
        path,
        at: "value",
        message: `must be one of ${(params.allowedValues as unknown[]).map(String).join(", ")}${shown}`,
      };
    case "type":
      return { path, at: "value", message: `must be ${typeName(String(params.type))}${shown}` };
    case "pattern": {
      const hint = typeof schema.patternHint === "string" ? schema.patternHint : undefined;
      return {
        path,
        at: "value",
        message: `${hint ?? `must match ${String(params.pattern)}`}${shown}`,
      };
    }
    case "minItems":
      return {
        path,
        at: "value",
        message:
          params.limit === 1
            ? "must not be empty"
            : `must have at least ${String(params.limit)} items`,
      };
    case "minLength":
      return {
        path,
        at: "value",
        message:
          params.limit === 1
            ? "must not be empty"
            : `must be at least ${String(params.limit)} characters`,
      };
    default:
      return { path, at: "value", message: `${error.message ?? "is invalid"}${shown}` };
  }
}

/** JSON pointer → path segments, array indices as numbers (checked against the data). */
function pointerToPath(pointer: string, raw: unknown): ConfigPath {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let node: unknown = raw;
  for (const encoded of pointer.slice(1).split("/")) {
    const segment = encoded.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      path.push(Number(segment));
      node = node[Number(segment)];
    } else {
      path.push(segment);
      node =
        node !== null && typeof node === "object"
          ? (node as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return path;
}

function typeName(type: string): string {
  switch (type) {
    case "integer":
      return "an integer";
    case "number":
      return "a number";
    case "string":
      return "a string";
    case "boolean":
      return "true or false";
    case "array":
      return "a list";
    case "object":
      return "a mapping (key: value)";
    default:
      return type;
  }
}

function got(data: unknown): string {
  if (data === null) return " (got null)";
  if (typeof data === "object") return Array.isArray(data) ? " (got a list)" : " (got a mapping)";
  const text = JSON.stringify(data);
  return text.length > 60 ? ` (got ${text.slice(0, 57)}…)` : ` (got ${text})`;
}

/** The known key nearest to a typo, when it is near enough to be a likely intent. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions, transpositions. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
