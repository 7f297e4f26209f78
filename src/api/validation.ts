// The request validators (fastify's validator compiler, per HTTP part): JSON bodies are taken as
// sent — no type coercion, so `"7"` is not a number and `["x"]` not a string — while query strings
// and path parameters, which are text by nature, are coerced to the numbers and booleans their
// schemas declare. Both read the OpenAPI `discriminator` of a `oneOf` (references by kind).
import { Ajv, type Options, type SchemaObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Fastify's own Ajv defaults, with unknown fields reported rather than silently dropped. */
const COMMON_OPTIONS: Options = {
  useDefaults: true,
  removeAdditional: false,
  allErrors: false,
  addUsedSchema: false,
  discriminator: true,
  // The failing schema and value in each issue: error-handler.ts words the answer from them.
  verbose: true,
};

function createAjv(coerceTypes: Options["coerceTypes"], shared: readonly SchemaObject[]): Ajv {
  const ajv = addFormats(new Ajv({ ...COMMON_OPTIONS, coerceTypes }));
  for (const schema of shared) ajv.addSchema(schema);
  return ajv;
}

/**
 * The validator compiler of the app: `shared` are the schemas request schemas refer to by `$id`
 * (also added to the app with `addSchema`, which puts them in the OpenAPI components).
 */
export function requestValidatorCompiler(
  shared: readonly SchemaObject[],
): FastifySchemaCompiler<SchemaObject> {
  // "array": a query parameter given once is still valid where a list is declared (fastify's default).
  const text = createAjv("array", shared);
  const json = createAjv(false, shared);
  return ({ schema, httpPart }) => {
    const ajv = httpPart === "body" ? json : text;
    const id = typeof schema.$id === "string" ? schema.$id : undefined;
    const known = id === undefined ? undefined : ajv.getSchema(id);
    return (known ?? ajv.compile(schema)) as ValidateFunction;
  };
}
