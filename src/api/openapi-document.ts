// The OpenAPI 3.0.3 document (@fastify/swagger options): each operation gets the security it
// really has (none on public routes; optional on reads in local mode), every error answer the
// framework can give it (auth, validation, body and path limits, rate limit, shutdown), with
// descriptions — the 400 also naming what the route refuses beyond its schemas (`refusals`) — and
// `requestBody.required: false` where the route serves a request without a body; the JSON
// schemas the server validates with (draft 7) are then rewritten where OpenAPI 3.0 differs
// (numeric exclusiveMinimum/Maximum, const), so the document is valid 3.0, and discriminators
// get their explicit mapping.
import type { SwaggerOptions } from "@fastify/swagger";
import type { FastifySchema, RouteOptions } from "fastify";
import { authRequired, type DriftwatchConfig } from "../config/index.js";
import type { RouteAccess } from "./auth/auth-hook.js";
import { roleAllows } from "./auth/roles.js";
import { hasOptionalBody } from "./routes/optional-body.js";
import { MAX_PATH_SEGMENT_BYTES } from "./schemas/common.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * What the route refuses with 400 DW_ERR_VALIDATION beyond what its schemas state (relations
     * between values, checks of other modules), in words for the document's 400 answer.
     */
    refusals?: readonly string[];
  }
}

const ERROR_BODY_REF = { $ref: "ErrorBody" };
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

interface ResponseDoc {
  readonly description: string;
  readonly headers?: Record<string, { description: string; type: string }>;
}

/** Why each framework-level error status happens, for the document. */
function errorDescriptions(config: DriftwatchConfig): Record<number, ResponseDoc | string> {
  const { server } = config;
  return {
    400:
      "DW_ERR_VALIDATION (a parameter or body field is invalid; `field` names it), " +
      "DW_ERR_INVALID_JSON (the body is not JSON) or DW_ERR_BAD_REQUEST (bad percent-encoding)",
    401: {
      description: "DW_ERR_UNAUTHENTICATED: no bearer token, an unknown one, or a malformed header",
      headers: { "WWW-Authenticate": { description: 'Bearer realm="driftwatch"', type: "string" } },
    },
    403: "DW_ERR_FORBIDDEN: the token's role is too low for this route",
    404: "DW_ERR_NOT_FOUND: no such model, version or silence",
    409: "DW_ERR_CONFLICT: the request conflicts with the current state",
    413: `DW_ERR_BODY_TOO_LARGE: the body is larger than server.bodyLimitBytes (${server.bodyLimitBytes} bytes)`,
    414: `DW_ERR_URI_TOO_LONG: a path segment is longer than ${MAX_PATH_SEGMENT_BYTES} bytes (percent-encoded); answered before authentication`,
    415: "DW_ERR_UNSUPPORTED_MEDIA_TYPE: send the body as application/json",
    429: {
      description: `DW_ERR_RATE_LIMITED: more than server.rateLimit.max requests in ${server.rateLimit.timeWindowMs} ms for this token (or client IP without one)`,
      headers: {
        "Retry-After": { description: "seconds until the window resets", type: "integer" },
        "X-RateLimit-Limit": { description: "requests allowed per window", type: "integer" },
        "X-RateLimit-Remaining": { description: "requests left in this window", type: "integer" },
        "X-RateLimit-Reset": { description: "seconds until the window resets", type: "integer" },
      },
    },
    431: "DW_ERR_HEADERS_TOO_LARGE: the request line and headers exceed 16 KiB",
    500: "DW_ERR_INTERNAL: an unexpected error (details are in the server log only)",
    503: "DW_ERR_UNAVAILABLE: ClickHouse or Kafka is unreachable, or the server is shutting down",
  };
}

function described(doc: ResponseDoc | string): ResponseDoc {
  return typeof doc === "string" ? { description: doc } : doc;
}

/** An error response in the form fastify and @fastify/swagger both read (media type + schema). */
function errorResponse(doc: ResponseDoc) {
  const headers =
    doc.headers === undefined
      ? {}
      : {
          headers: Object.fromEntries(
            Object.entries(doc.headers).map(([name, header]) => [
              name,
              { type: header.type, description: header.description },
            ]),
          ),
        };
  return {
    description: doc.description,
    ...headers,
    content: { "application/json": { schema: ERROR_BODY_REF } },
  };
}

function isErrorRef(schema: unknown): boolean {
  return (
    typeof schema === "object" &&
    schema !== null &&
    (schema as { $ref?: unknown }).$ref === ERROR_BODY_REF.$ref &&
    Object.keys(schema).length === 1
  );
}

/** The error statuses a route can answer besides those its handler declares. */
export function frameworkErrorStatuses(
  route: Pick<RouteOptions, "method" | "schema" | "config">,
  config: DriftwatchConfig,
): number[] {
  const access: RouteAccess =
    (route.config as { access?: RouteAccess } | undefined)?.access ?? "public";
  const schema = (route.schema ?? {}) as FastifySchema;
  const methods = [route.method].flat().map((method) => String(method).toUpperCase());
  const statuses = new Set<number>([431, 500]);
  if (access !== "public") {
    statuses.add(401);
    // Every token may read: only routes above `read` can refuse a valid token.
    if (!roleAllows("read", access)) statuses.add(403);
    if (config.server.rateLimit.enabled) statuses.add(429);
    statuses.add(503);
  }
  if (schema.params !== undefined) {
    statuses.add(400);
    statuses.add(414);
  }
  if (schema.querystring !== undefined) statuses.add(400);
  if (methods.some((method) => BODY_METHODS.has(method))) {
    // Fastify parses a body on every method that may carry one, even where none is expected.
    statuses.add(413);
    statuses.add(415);
    if (schema.body !== undefined) statuses.add(400);
  }
  return [...statuses].sort((a, b) => a - b);
}

/** The operation's security requirement: none, bearer, or bearer-or-nothing (local mode reads). */
function securityOf(access: RouteAccess, config: DriftwatchConfig) {
  if (access === "public") return [];
  if (access === "read" && !authRequired(config.auth)) return [{ bearerAuth: [] }, {}];
  return [{ bearerAuth: [] }];
}

type JsonNode = Record<string, unknown>;

/** Rewrite, in place, the JSON Schema keywords whose OpenAPI 3.0 form differs. */
export function toOpenApi30Schemas(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) toOpenApi30Schemas(item);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const schema = node as JsonNode;
  for (const [exclusive, inclusive] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    const bound = schema[exclusive];
    if (typeof bound !== "number") continue;
    const current = schema[inclusive];
    const stricter =
      typeof current !== "number" ||
      (exclusive === "exclusiveMinimum" ? bound >= current : bound <= current);
    if (stricter) {
      schema[inclusive] = bound;
      schema[exclusive] = true;
    } else {
      delete schema[exclusive];
    }
  }
  if ("const" in schema && !("enum" in schema)) {
    schema.enum = [schema.const];
    delete schema.const;
  }
  for (const value of Object.values(schema)) toOpenApi30Schemas(value);
}

/** Operation extension carrying a route's `optionalBody` from `transform` to the document. */
const OPTIONAL_BODY = "x-driftwatch-optional-body";

/** `requestBody.required: false` on the operations whose routes serve a request without a body. */
function markOptionalBodies(paths: unknown): void {
  if (paths === null || typeof paths !== "object") return;
  for (const operations of Object.values(paths as Record<string, Record<string, JsonNode>>)) {
    for (const operation of Object.values(operations)) {
      if (operation[OPTIONAL_BODY] !== true) continue;
      delete operation[OPTIONAL_BODY];
      const body = operation.requestBody as JsonNode | undefined;
      if (body !== undefined) body.required = false;
    }
  }
}

const COMPONENT_PREFIX = "#/components/schemas/";

/**
 * The explicit `mapping` of each discriminator over `oneOf` component references (the value of
 * the tag in each component → the component), which OpenAPI tools read and Ajv, validating the
 * same schemas on the server, derives by itself from each branch's `kind`.
 */
function addDiscriminatorMappings(node: unknown, components: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) addDiscriminatorMappings(item, components);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const schema = node as JsonNode;
  const discriminator = schema.discriminator as { propertyName?: string } | undefined;
  if (discriminator?.propertyName !== undefined && Array.isArray(schema.oneOf)) {
    const mapping: Record<string, string> = {};
    for (const branch of schema.oneOf as JsonNode[]) {
      const ref = branch.$ref;
      if (typeof ref !== "string" || !ref.startsWith(COMPONENT_PREFIX)) continue;
      const target = (components as Record<string, JsonNode> | undefined)?.[
        ref.slice(COMPONENT_PREFIX.length)
      ];
      const tag = (target?.properties as Record<string, JsonNode> | undefined)?.[
        discriminator.propertyName
      ];
      for (const value of (tag?.enum as unknown[] | undefined) ?? []) {
        if (typeof value === "string") mapping[value] = ref;
      }
    }
    if (Object.keys(mapping).length > 0) {
      schema.discriminator = { ...discriminator, mapping };
    }
  }
  for (const value of Object.values(schema)) addDiscriminatorMappings(value, components);
}

/** @fastify/swagger options for the app built with `config`. */
export function openApiOptions(config: DriftwatchConfig, version: string): SwaggerOptions {
  const descriptions = errorDescriptions(config);
  return {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "driftwatch API",
        version,
        description:
          "Model monitoring and drift detection. Errors: `{error: {code, message, field?}}`; " +
          "see docs/api.md for the DW_ERR_… codes and the roles each route needs. A method a " +
          "path does not have answers 405 DW_ERR_METHOD_NOT_ALLOWED (with Allow); a request " +
          `not received within server.requestTimeoutMs (${config.server.requestTimeoutMs} ms) ` +
          "answers 408 DW_ERR_REQUEST_TIMEOUT and the connection is closed.",
      },
      components: {
        securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
      },
      security: [{ bearerAuth: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) =>
        typeof json.$id === "string" ? json.$id : `def-${index}`,
    },
    transform: ({ schema, url, route }) => {
      const access: RouteAccess =
        (route.config as { access?: RouteAccess } | undefined)?.access ?? "public";
      const declared = (schema?.response ?? {}) as Record<string, unknown>;
      const response: Record<string, unknown> = {};
      const statuses = new Set([
        ...Object.keys(declared).map(Number),
        ...frameworkErrorStatuses(route, config),
      ]);
      const refusals = (route.config as { refusals?: readonly string[] } | undefined)?.refusals;
      for (const status of [...statuses].sort((a, b) => a - b)) {
        const own = declared[status];
        if (own !== undefined && !isErrorRef(own)) {
          response[status] = own;
          continue;
        }
        const doc = described(descriptions[status] ?? `error ${status}`);
        response[status] = errorResponse(
          status === 400 && refusals !== undefined && refusals.length > 0
            ? {
                ...doc,
                description: `${doc.description}; also DW_ERR_VALIDATION for ${refusals.join("; ")}`,
              }
            : doc,
        );
      }
      return {
        url,
        schema: {
          ...schema,
          response,
          security: securityOf(access, config),
          ...(hasOptionalBody(route) ? { [OPTIONAL_BODY]: true } : {}),
        } as FastifySchema,
      };
    },
    transformObject: (documentObject) => {
      const { openapiObject } = documentObject as {
        openapiObject: { components?: { schemas?: unknown }; paths?: unknown };
      };
      const document = structuredClone(openapiObject);
      markOptionalBodies(document.paths);
      toOpenApi30Schemas(document.components?.schemas);
      toOpenApi30Schemas(document.paths);
      addDiscriminatorMappings(document.paths, document.components?.schemas);
      addDiscriminatorMappings(document.components?.schemas, document.components?.schemas);
      return document;
    },
  } as SwaggerOptions;
}
