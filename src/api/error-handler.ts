// The one error handler of the API: every failure becomes `{error: {code, message, field?}}`,
// including those the framework and Node answer before any route runs (unknown route or method,
// over-long path segment, bad percent-encoding, malformed HTTP, oversized headers, timeouts).
// 4xx answers say what is wrong and name the field; 5xx answers hide details (they are logged).
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AlertsInputError, AlertsNotFoundError } from "../../alerts/index.js";
import { MonitorInputError } from "../monitor/index.js";
import { ClickHouseUnavailableError } from "../store/index.js";
import { API_ERRORS, ApiError, type ApiErrorCode } from "./error-codes.js";
import {
  isFieldOfOtherVariant,
  MAX_PATH_SEGMENT_BYTES,
  patternHint,
  type ErrorBodyType,
} from "./schemas/common.js";

interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
  /** The schema holding the failed keyword (Ajv's `verbose` option). */
  readonly parentSchema?: unknown;
}

/** "/reference/days" → "reference.days", "/0/event_id" → "[0].event_id". */
function fieldPath(instancePath: string, child?: string): string {
  const parts = instancePath.split("/").slice(1);
  if (child !== undefined) parts.push(child);
  let path = "";
  for (const part of parts) {
    const name = part.replace(/~1/g, "/").replace(/~0/g, "~");
    path += /^\d+$/.test(name) ? `[${name}]` : path === "" ? name : `.${name}`;
  }
  return path;
}

const depth = (issue: ValidationIssue) => issue.instancePath.split("/").length;
const hintOf = (issue: ValidationIssue) =>
  issue.keyword === "pattern" ? patternHint(String(issue.params.pattern)) : undefined;

/**
 * The most telling issue: not an anyOf / oneOf summary but the failure of a branch, the one
 * that got deepest into the value, preferring (among a union's branches) a failed format, then
 * a pattern with a plain-words hint, then anything but a wrong type.
 */
function mostTelling(issues: readonly ValidationIssue[]): ValidationIssue | undefined {
  const failures = issues.filter((issue) => issue.keyword !== "anyOf" && issue.keyword !== "oneOf");
  if (failures.length === 0) return issues[0];
  const deepest = Math.max(...failures.map(depth));
  const candidates = failures.filter((issue) => depth(issue) === deepest);
  return (
    candidates.find((issue) => issue.keyword === "format") ??
    candidates.find((issue) => hintOf(issue) !== undefined) ??
    candidates.find((issue) => issue.keyword !== "type") ??
    candidates[0]
  );
}

/** The reason a field is refused, in plain words where the schema gives them. */
function reasonOf(issue: ValidationIssue, issues: readonly ValidationIssue[]): string {
  switch (issue.keyword) {
    case "required":
      return "is required";
    case "additionalProperties": {
      const title = (issue.parentSchema as { title?: unknown } | undefined)?.title;
      const field = String(issue.params.additionalProperty);
      return typeof title === "string" && isFieldOfOtherVariant(title, field)
        ? `does not apply to a ${title}`
        : "is not a known field";
    }
    case "enum":
      return Array.isArray(issue.params.allowedValues)
        ? `must be one of ${issue.params.allowedValues.join(", ")}`
        : (issue.message ?? "is invalid");
    case "pattern":
      return hintOf(issue) ?? issue.message ?? "is invalid";
    case "type": {
      // A value of none of a union's types: name them all.
      const types = issues
        .filter((other) => other.keyword === "type" && other.instancePath === issue.instancePath)
        .flatMap((other) => (typeof other.params.type === "string" ? [other.params.type] : []));
      return types.length === 0
        ? (issue.message ?? "is invalid")
        : `must be ${[...new Set(types)].join(" or ")}`;
    }
    default:
      return issue.message ?? "is invalid";
  }
}

/** The most telling issue (not the anyOf summary), as a field and a reason. */
export function describeValidation(
  issues: readonly ValidationIssue[],
  location: string | undefined,
): { field: string; message: string } {
  const issue = mostTelling(issues);
  const where = location === "querystring" ? "query" : (location ?? "body");
  if (issue === undefined) return { field: where, message: `${where}: invalid` };
  let field: string;
  if (issue.keyword === "required") {
    field = fieldPath(issue.instancePath, String(issue.params.missingProperty));
  } else if (issue.keyword === "additionalProperties") {
    field = fieldPath(issue.instancePath, String(issue.params.additionalProperty));
  } else if (issue.keyword === "discriminator") {
    field = fieldPath(issue.instancePath, String(issue.params.tag));
  } else {
    field = fieldPath(issue.instancePath);
  }
  if (field === "") field = where;
  const reason = reasonOf(issue, issues);
  return { field, message: `${where === "body" ? "" : `${where} `}${field}: ${reason}` };
}

export function errorBody(code: ApiErrorCode, message: string, field?: string): ErrorBodyType {
  return { error: { code, message, ...(field !== undefined ? { field } : {}) } };
}

/** Answer `code` in the error shape. */
export function sendError(
  reply: FastifyReply,
  code: ApiErrorCode,
  message: string,
  field?: string,
): void {
  void reply.code(API_ERRORS[code].status).send(errorBody(code, message, field));
}

/** The catalogue's code for a 4xx status an error carries (DW_ERR_VALIDATION when none). */
function codeForStatus(status: number): ApiErrorCode {
  if (status === 400) return "DW_ERR_VALIDATION";
  const match = (Object.keys(API_ERRORS) as ApiErrorCode[]).find(
    (code) => API_ERRORS[code].status === status,
  );
  return match ?? "DW_ERR_VALIDATION";
}

/** Map an error to its answer; returns nothing (the reply is sent). */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ApiError) return sendError(reply, error.code, error.message, error.field);
  if (error.validation !== undefined) {
    const { field, message } = describeValidation(error.validation, error.validationContext);
    return sendError(reply, "DW_ERR_VALIDATION", message, field);
  }
  if (error instanceof AlertsInputError || error instanceof MonitorInputError) {
    return sendError(reply, "DW_ERR_VALIDATION", error.message, error.field);
  }
  if (error instanceof AlertsNotFoundError)
    return sendError(reply, "DW_ERR_NOT_FOUND", error.message);
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return sendError(reply, "DW_ERR_BODY_TOO_LARGE", "request body is larger than the limit");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return sendError(reply, "DW_ERR_UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return sendError(reply, "DW_ERR_VALIDATION", "body: must not be empty", "body");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return sendError(reply, "DW_ERR_INVALID_JSON", `body: ${error.message}`, "body");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return sendError(reply, "DW_ERR_BAD_REQUEST", "the body does not match its Content-Length");
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return sendError(reply, "DW_ERR_INVALID_JSON", `body: ${error.message}`, "body");
  }
  if (error instanceof ClickHouseUnavailableError) {
    request.log.warn({ err: error }, "dependency unavailable");
    return sendError(reply, "DW_ERR_UNAVAILABLE", "ClickHouse is unavailable; retry later");
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const fieldOfError = (error as { field?: unknown }).field;
    const field = typeof fieldOfError === "string" ? fieldOfError : undefined;
    void reply.code(status).send(errorBody(codeForStatus(status), error.message, field));
    return;
  }
  request.log.error({ err: error }, "request failed");
  return sendError(reply, "DW_ERR_INTERNAL", "internal error; see the server log");
}

/** Errors the router meets before a route is chosen (fastify's `frameworkErrors`). */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  switch (error.code) {
    case "FST_ERR_BAD_URL":
      return sendError(
        reply,
        "DW_ERR_BAD_REQUEST",
        "the path is not valid percent-encoding",
        "path",
      );
    case "FST_ERR_MAX_PARAM_LENGTH":
      return sendError(
        reply,
        "DW_ERR_URI_TOO_LONG",
        `a path segment is longer than ${MAX_PATH_SEGMENT_BYTES} bytes`,
        "path",
      );
  }
  return handleError(error, request, reply);
}

interface SocketWithMessage extends Socket {
  /** Node's in-flight ServerResponse on this socket, if any (internal field). */
  readonly _httpMessage?: { readonly headersSent?: boolean };
}

/**
 * Errors on a connection before a request reaches fastify (`clientErrorHandler`, `this` the app):
 * a request not received in time (408), oversized headers (431), malformed HTTP (400). Answered in
 * the error shape when nothing was sent yet, then the connection is closed.
 */
export function handleClientError(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  let code: ApiErrorCode;
  let message: string;
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
    code = "DW_ERR_REQUEST_TIMEOUT";
    message = "the request was not received in time; the connection is closed";
  } else if (error.code === "HPE_HEADER_OVERFLOW") {
    code = "DW_ERR_HEADERS_TOO_LARGE";
    message = "the request line and headers are too large";
  } else {
    code = "DW_ERR_BAD_REQUEST";
    message = "the request is not valid HTTP";
  }
  this.log.debug({ err: error, code }, "client connection error");
  const inFlight = (socket as SocketWithMessage)._httpMessage;
  if (socket.writable && inFlight?.headersSent !== true) {
    const status = API_ERRORS[code].status;
    const text = JSON.stringify(errorBody(code, message));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}

/** HTTP methods a path may have, to tell 405 from 404. */
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** 405 with Allow when the path has other methods, else 404: the answer to an unmatched request. */
function answerUnmatched(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split("?")[0]!;
  const allowed = METHODS.filter(
    (method) => method !== request.method && app.findRoute({ method, url: path }) !== null,
  );
  if (allowed.length > 0) {
    void reply.header("allow", allowed.join(", "));
    return sendError(
      reply,
      "DW_ERR_METHOD_NOT_ALLOWED",
      `${request.method} is not allowed on ${path}; use ${allowed.join(", ")}`,
    );
  }
  sendError(reply, "DW_ERR_NOT_FOUND", `no route ${request.method} ${path}`);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => answerUnmatched(app, request, reply));
}

/**
 * Answer unmatched requests (404, 405) in an onRequest hook — registered after authentication
 * and the rate limit, which count them — before any body is read: a method that must carry a
 * body type (QUERY), a body of any type or none, still gets 405 with Allow (or 404).
 */
export function registerUnmatchedAnswers(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    if (request.is404 !== true) return;
    answerUnmatched(app, request, reply);
    return reply;
  });
}
