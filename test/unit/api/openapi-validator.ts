// Validates a document against the OpenAPI 3.0 JSON Schema published by the OpenAPI Initiative
// (openapi-3.0-schema.json: OAI/OpenAPI-Specification schemas/v3.0/schema.json, id 2021-09-28,
// Apache-2.0). That schema is draft-04; Ajv speaks draft-07, so its two draft-04 forms are
// rewritten first (the `id` label, boolean exclusiveMinimum). It enforces the 3.0 Schema Object:
// `type` a single string, `nullable` instead of "null", boolean exclusiveMinimum/Maximum, no
// `const`/`examples`/unknown keywords, plus the shape of paths, operations, responses, security.
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** draft-04 → draft-07: boolean exclusiveMinimum/Maximum become numeric bounds. */
function fromDraft4(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fromDraft4);
  if (node === null || typeof node !== "object") return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = fromDraft4(value);
  for (const [exclusive, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (typeof copy[exclusive] === "boolean") {
      if (copy[exclusive] === true && typeof copy[bound] === "number") {
        copy[exclusive] = copy[bound];
        delete copy[bound];
      } else {
        delete copy[exclusive];
      }
    }
  }
  return copy;
}

let validate: ReturnType<Ajv["compile"]> | undefined;

/** The problems that make `document` invalid OpenAPI 3.0 (empty when valid). */
export function openApi30Problems(document: unknown): string[] {
  if (validate === undefined) {
    const published = JSON.parse(
      readFileSync(new URL("./openapi-3.0-schema.json", import.meta.url), "utf8"),
    ) as Record<string, unknown>;
    const schema = fromDraft4(published) as Record<string, unknown>;
    delete schema.id;
    delete schema.$schema;
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    validate = ajv.compile(schema);
  }
  if (validate(document)) return [];
  // oneOf summaries repeat their branches' errors: keep the specific ones.
  return (validate.errors ?? [])
    .filter((error: ErrorObject) => error.keyword !== "oneOf")
    .map(
      (error: ErrorObject) =>
        `${error.instancePath} ${error.message ?? ""} ${JSON.stringify(error.params)}`,
    );
}
