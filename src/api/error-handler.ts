// The one error handler of the API: every failure becomes `{error: {code, message, field?}}`.
// 4xx answers say what is wrong and name the field; 5xx answers hide details (they are logged).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AlertsInputError, AlertsNotFoundError } from "../../alerts/index.js";
import { MonitorInputError } from "../monitor/index.js";
import { ClickHouseUnavailableError } from "../store/errors.js";
import { API_ERRORS, ApiError, type ApiErrorCode } from "./error-codes.js";
import type { ErrorBodyType } from "./schemas/common.js";

interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
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

/** The most telling issue (not the anyOf summary), as a field and a reason. */
export function describeValidation(
  issues: readonly ValidationIssue[],
  location: string | undefined,
): { field: string; message: string } {
  const issue = issues.find((candidate) => candidate.keyword !== "anyOf") ?? issues[0];
  const where = location === "querystring" ? "query" : (location ?? "body");
  if (issue === undefined) return { field: where, message: `${where}: invalid` };
  let field: string;
  let reason = issue.message ?? "is invalid";
  if (issue.keyword === "required") {
    field = fieldPath(issue.instancePath, String(issue.params.missingProperty));
    reason = "is required";
  } else if (issue.keyword === "additionalProperties") {
    field = fieldPath(issue.instancePath, String(issue.params.additionalProperty));
    reason = "is not a known field";
  } else {
    field = fieldPath(issue.instancePath);
    if (issue.keyword === "enum" && Array.isArray(issue.params.allowedValues)) {
      reason = `must be one of ${issue.params.allowedValues.join(", ")}`;
    }
  }
  if (field === "") field = where;
  return { field, message: `${where === "body" ? "" : `${where} `}${field}: ${reason}` };
}

function body(code: ApiErrorCode, message: string, field?: string): ErrorBodyType {
  return { error: { code, message, ...(field !== undefined ? { field } : {}) } };
}

function send(reply: FastifyReply, code: ApiErrorCode, message: string, field?: string): void {
  void reply.code(API_ERRORS[code].status).send(body(code, message, field));
}

/** Map an error to its answer; returns nothing (the reply is sent). */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ApiError) return send(reply, error.code, error.message, error.field);
  if (error.validation !== undefined) {
    const { field, message } = describeValidation(error.validation, error.validationContext);
    return send(reply, "DW_ERR_VALIDATION", message, field);
  }
  if (error instanceof AlertsInputError || error instanceof MonitorInputError) {
    return send(reply, "DW_ERR_VALIDATION", error.message, error.field);
  }
  if (error instanceof AlertsNotFoundError) return send(reply, "DW_ERR_NOT_FOUND", error.message);
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return send(reply, "DW_ERR_BODY_TOO_LARGE", "request body is larger than the limit");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return send(reply, "DW_ERR_UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return send(reply, "DW_ERR_VALIDATION", "body: must not be empty", "body");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return send(reply, "DW_ERR_INVALID_JSON", `body: ${error.message}`, "body");
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return send(reply, "DW_ERR_INVALID_JSON", `body: ${error.message}`, "body");
  }
  if (error instanceof ClickHouseUnavailableError) {
    request.log.warn({ err: error }, "dependency unavailable");
    return send(reply, "DW_ERR_UNAVAILABLE", "ClickHouse is unavailable; retry later");
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const fieldOfError = (error as { field?: unknown }).field;
    const field = typeof fieldOfError === "string" ? fieldOfError : undefined;
    const code: ApiErrorCode =
      status === 404
        ? "DW_ERR_NOT_FOUND"
        : status === 409
          ? "DW_ERR_CONFLICT"
          : "DW_ERR_VALIDATION";
    void reply.code(status).send(body(code, error.message, field));
    return;
  }
  request.log.error({ err: error }, "request failed");
  return send(reply, "DW_ERR_INTERNAL", "internal error; see the server log");
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    send(reply, "DW_ERR_NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`);
  });
}
