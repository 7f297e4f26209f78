// The catalogue of error codes the HTTP API returns in `{error: {code, message, field?}}`, with the
// HTTP status each one goes with. Clients branch on the code; the message is for people.

export const API_ERRORS = {
  DW_ERR_VALIDATION: { status: 400, meaning: "a field of the request is missing or invalid" },
  DW_ERR_BAD_REQUEST: {
    status: 400,
    meaning: "the request is not valid HTTP, or its path is not valid percent-encoding",
  },
  DW_ERR_INVALID_JSON: { status: 400, meaning: "the request body is not valid JSON" },
  DW_ERR_INVALID_EVENTS: { status: 400, meaning: "none of the posted events is valid" },
  DW_ERR_UNAUTHENTICATED: { status: 401, meaning: "no bearer token, or an unknown one" },
  DW_ERR_FORBIDDEN: { status: 403, meaning: "the token's role is too low for this route" },
  DW_ERR_NOT_FOUND: { status: 404, meaning: "no such route, model, silence or version" },
  DW_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    meaning: "the path exists but not with this method (the Allow header lists those it has)",
  },
  DW_ERR_REQUEST_TIMEOUT: {
    status: 408,
    meaning: "the request was not received within server.headersTimeoutMs / requestTimeoutMs",
  },
  DW_ERR_CONFLICT: { status: 409, meaning: "the request conflicts with current state (cooldown)" },
  DW_ERR_BODY_TOO_LARGE: { status: 413, meaning: "the body exceeds server.bodyLimitBytes" },
  DW_ERR_URI_TOO_LONG: { status: 414, meaning: "a path segment is longer than the server reads" },
  DW_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: "the body is not application/json" },
  DW_ERR_RATE_LIMITED: {
    status: 429,
    meaning: "too many requests for this token (or client IP); retry after Retry-After seconds",
  },
  DW_ERR_HEADERS_TOO_LARGE: {
    status: 431,
    meaning: "the request line and headers exceed 16 KiB",
  },
  DW_ERR_INTERNAL: { status: 500, meaning: "an unexpected error; details are in the server log" },
  DW_ERR_UNAVAILABLE: {
    status: 503,
    meaning: "ClickHouse or Kafka is unreachable, or the server is shutting down; retry later",
  },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** An error a route throws on purpose; the error handler turns it into its JSON body. */
export class ApiError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
    this.statusCode = API_ERRORS[code].status;
  }
}

/** A 400 naming the field. */
export function invalidField(field: string, message: string): ApiError {
  return new ApiError("DW_ERR_VALIDATION", `${field}: ${message}`, field);
}

export function notFound(what: string, identifier: string): ApiError {
  return new ApiError("DW_ERR_NOT_FOUND", `unknown ${what} ${JSON.stringify(identifier)}`);
}
