// Schemas shared by every route: the error body and path parameters, with the plain-words hints
// a 400 gives for patterns and union variants (times are in times.ts).
import { Type, type Static } from "@sinclair/typebox";

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: "DW_ERR_… (see docs/api.md)" }),
      message: Type.String(),
      field: Type.Optional(
        Type.String({ description: "the offending field, e.g. body.reference.days" }),
      ),
    }),
  },
  { $id: "ErrorBody", description: "every 4xx and 5xx answer" },
);
export type ErrorBodyType = Static<typeof ErrorBody>;

/** Reference to ErrorBody for response maps. */
export const ErrorRef = Type.Ref("ErrorBody");

/**
 * The error answers a route declares on top of those every route of its kind can give (auth,
 * validation, body limits, rate limit…: added to the OpenAPI document by openapi-document.ts).
 */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorRef> {
  const responses: Record<number, typeof ErrorRef> = {};
  for (const status of statuses) responses[status] = ErrorRef;
  return responses;
}

/**
 * The longest path segment (raw, percent-encoded bytes) the router reads; longer ones answer 414
 * before authentication. Room for every valid parameter: 128 characters of 4-byte UTF-8, encoded.
 */
export const MAX_PATH_SEGMENT_BYTES = 2_048;

const PATTERN_HINTS = new Map<string, string>();

/** `pattern`, remembered with the plain-words reason a 400 gives when a value does not match. */
export function hintedPattern(pattern: string, hint: string): string {
  PATTERN_HINTS.set(pattern, hint);
  return pattern;
}

/** The reason for a value not matching `pattern`, when its schema gave one. */
export function patternHint(pattern: string): string | undefined {
  return PATTERN_HINTS.get(pattern);
}

/**
 * The characters JavaScript's `trim` and `\s` take for whitespace, as a character class body:
 * spelled out, so every regex engine that reads the document's patterns agrees on them.
 */
export const JS_SPACE =
  "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";

const VARIANT_FIELDS = new Map<string, ReadonlySet<string>>();

/**
 * `title` of one variant of a union of objects (a reference of one kind), remembered with the
 * fields of every variant: a field of another variant is then refused as not applying to this one.
 */
export function variantTitle(title: string, unionFields: Iterable<string>): string {
  VARIANT_FIELDS.set(title, new Set(unionFields));
  return title;
}

/** Whether `field` belongs to another variant of the union the variant titled `title` is of. */
export function isFieldOfOtherVariant(title: string, field: string): boolean {
  return VARIANT_FIELDS.get(title)?.has(field) === true;
}

export const ModelName = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: hintedPattern("^[A-Za-z0-9_.-]{1,64}$", "must be 1-64 letters, digits, _ . or -"),
  description: "model name, [A-Za-z0-9_.-]{1,64}",
});

export const ModelVersion = Type.String({
  minLength: 1,
  maxLength: 128,
  description: "model version, 1-128 characters",
});

export const ModelParams = Type.Object({ model: ModelName }, { additionalProperties: false });
export type ModelParamsType = Static<typeof ModelParams>;

export const ModelVersionParams = Type.Object(
  { model: ModelName, version: ModelVersion },
  { additionalProperties: false },
);
export type ModelVersionParamsType = Static<typeof ModelVersionParams>;

/** Times in answers: RFC 3339 text (UTC) or null when unknown. */
export const IsoTime = Type.Union([Type.String({ format: "date-time" }), Type.Null()]);
