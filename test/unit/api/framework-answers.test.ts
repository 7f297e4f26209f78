// What the framework answers before a handler runs (unknown route or method, bad or over-long
// path, body limits, media type, bad JSON, empty state lists, rate limits) comes in the API's
// error shape, and — where an operation exists — with a status its OpenAPI entry documents.
import { afterEach, describe, expect, it } from "vitest";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { API_ERRORS, type ApiErrorCode } from "../../../src/api/index.js";
import { stubApp } from "./stub-app.js";
import { AUTH_YAML, bearer, TOKENS } from "../../support/tokens.js";

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const reader = bearer(TOKENS.reader);
const writer = bearer(TOKENS.writer);

type Document = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

async function open(yaml: string): Promise<{ app: FastifyInstance; document: Document }> {
  app = await stubApp(yaml);
  const document = (await app.inject({ method: "GET", url: "/openapi.json" })).json() as Document;
  return { app, document };
}

/** The answer is `code` in the error shape (and nothing else). */
function expectError(response: LightMyRequestResponse, code: ApiErrorCode, field?: string) {
  expect(response.statusCode, response.body).toBe(API_ERRORS[code].status);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  const body = response.json() as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  if (field !== undefined) expect(body.error.field).toBe(field);
}

/** The operation (OpenAPI path template, method) documents the status it answered. */
function expectDocumented(
  document: Document,
  template: string,
  method: string,
  response: LightMyRequestResponse,
) {
  const operation = document.paths[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is documented`).toBeDefined();
  expect(Object.keys(operation!.responses), `${method} ${template}`).toContain(
    String(response.statusCode),
  );
}

describe("framework answers in the error shape", () => {
  it("answers an unknown route 404 and a known path's missing method 405 with Allow", async () => {
    const { app } = await open("");
    expectError(await app.inject({ method: "GET", url: "/api/v1/nothing" }), "DW_ERR_NOT_FOUND");
    const wrongMethod = await app.inject({
      method: "DELETE",
      url: "/api/v1/models",
      headers: writer,
    });
    expectError(wrongMethod, "DW_ERR_METHOD_NOT_ALLOWED");
    expect(wrongMethod.headers.allow).toBe("GET, HEAD");
    const options = await app.inject({ method: "OPTIONS", url: "/api/v1/silences" });
    expectError(options, "DW_ERR_METHOD_NOT_ALLOWED");
    expect(options.headers.allow).toBe("GET, HEAD, POST");
    const onParameters = await app.inject({ method: "PATCH", url: "/api/v1/models/credit-risk" });
    expect(onParameters.headers.allow).toBe("GET, HEAD");
  });

  it("answers 405 (or 404) before reading a body: QUERY without a type, any body of any type", async () => {
    const { app } = await open(AUTH_YAML);
    const requests: InjectOptions[] = [
      { method: "QUERY", url: "/healthz" },
      { method: "QUERY", url: "/api/v1/models", headers: reader },
      {
        method: "QUERY",
        url: "/api/v1/models",
        headers: { "content-type": "text/xml" },
        payload: "<a/>",
      },
      {
        method: "PATCH",
        url: "/healthz",
        headers: { "content-type": "application/json" },
        payload: "{no",
      },
      { method: "PUT", url: "/metrics", headers: { "content-type": "image/png" }, payload: "x" },
      { method: "POST", url: "/api/v1/models", payload: "x".repeat(2 * 1024 * 1024) },
    ];
    for (const request of requests) {
      const response = await app.inject(request);
      const label = `${request.method} ${request.url}`;
      expect(response.statusCode, `${label}: ${response.body}`).toBe(405);
      expectError(response, "DW_ERR_METHOD_NOT_ALLOWED");
      expect(response.headers.allow, label).toContain("GET");
    }
    const unknown = await app.inject({
      method: "POST",
      url: "/api/v1/nothing",
      headers: { "content-type": "application/json" },
      payload: "{no",
    });
    expectError(unknown, "DW_ERR_NOT_FOUND");
  });

  it("refuses an empty or unknown alert state list with 400, never reaching the store", async () => {
    const { app, document } = await open(AUTH_YAML);
    for (const query of ["state=", "state=,", "state=%20,%20", "state=pending,", "state=bogus"]) {
      const response = await app.inject({ url: `/api/v1/alerts?${query}`, headers: reader });
      expectError(response, "DW_ERR_VALIDATION", "state");
      expectDocumented(document, "/api/v1/alerts", "GET", response);
    }
  });

  it("refuses numbers a query coerces to infinity (they skipped Ajv's bounds and reached SQL)", async () => {
    const { app, document } = await open(AUTH_YAML);
    for (const limit of ["1.5e400", "-1e400"]) {
      const response = await app.inject({
        url: `/api/v1/models/credit-risk/drift?limit=${limit}`,
        headers: reader,
      });
      expectError(response, "DW_ERR_VALIDATION", "limit");
      expectDocumented(document, "/api/v1/models/{model}/drift", "GET", response);
    }
  });

  it("reads path segments up to the documented maximum and answers 414 beyond, before auth", async () => {
    const { app, document } = await open(AUTH_YAML);
    // 128 characters was a 414 before the token check; now it reaches validation (and auth).
    const long = "m".repeat(128);
    const refused = await app.inject({ url: `/api/v1/models/${long}`, headers: reader });
    expectError(refused, "DW_ERR_VALIDATION", "model");
    expectDocumented(document, "/api/v1/models/{model}", "GET", refused);
    expectError(await app.inject({ url: `/api/v1/models/${long}` }), "DW_ERR_UNAUTHENTICATED");
    const version = encodeURIComponent("🙂".repeat(128));
    const validVersion = await app.inject({
      method: "PUT",
      url: `/api/v1/models/credit-risk/versions/${version}/reference`,
      headers: writer,
      payload: { kind: "rolling" },
    });
    // The longest valid version (128 four-byte characters) reaches the body check.
    expectError(validVersion, "DW_ERR_VALIDATION", "days");
    const tooLong = await app.inject({ url: `/api/v1/models/${"m".repeat(2_049)}` });
    expectError(tooLong, "DW_ERR_URI_TOO_LONG", "path");
    expectDocumented(document, "/api/v1/models/{model}", "GET", tooLong);
    const badEncoding = await app.inject({ url: "/api/v1/models/%E0%A4%A", headers: reader });
    expectError(badEncoding, "DW_ERR_BAD_REQUEST", "path");
    expectDocumented(document, "/api/v1/models/{model}", "GET", badEncoding);
  });

  it("answers body limits, media types and bad JSON as documented", async () => {
    const { app, document } = await open(`${AUTH_YAML}server: { bodyLimitBytes: 1024 }\n`);
    const post = (headers: Record<string, string>, payload: string) =>
      app.inject({
        method: "POST",
        url: "/api/v1/silences",
        headers: { ...writer, ...headers },
        payload,
      });
    const cases: [LightMyRequestResponse, ApiErrorCode][] = [
      [
        await post({ "content-type": "application/json" }, `"${"x".repeat(2_000)}"`),
        "DW_ERR_BODY_TOO_LARGE",
      ],
      [await post({ "content-type": "text/plain" }, "model=a"), "DW_ERR_UNSUPPORTED_MEDIA_TYPE"],
      [await post({ "content-type": "application/json" }, "{not json"), "DW_ERR_INVALID_JSON"],
      [await post({ "content-type": "application/json" }, '{"matchers": []}'), "DW_ERR_VALIDATION"],
    ];
    for (const [response, code] of cases) {
      expectError(response, code);
      expectDocumented(document, "/api/v1/silences", "POST", response);
    }
    // DELETE takes no body, yet fastify parses one when sent: both answers are documented.
    const deleteWithBody = await app.inject({
      method: "DELETE",
      url: "/api/v1/silences/abc",
      headers: { ...writer, "content-type": "text/plain" },
      payload: "x",
    });
    expectError(deleteWithBody, "DW_ERR_UNSUPPORTED_MEDIA_TYPE");
    expectDocumented(document, "/api/v1/silences/{id}", "DELETE", deleteWithBody);
  });
});

describe("rate limits", () => {
  const limited = `${AUTH_YAML}server: { rateLimit: { max: 3, timeWindowMs: 60000, maxByRole: { write: 5 } } }\n`;

  it("answers 429 in the error shape with Retry-After once a token used its window", async () => {
    const { app, document } = await open(limited);
    const statuses: number[] = [];
    let last: LightMyRequestResponse | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      last = await app.inject({ url: "/api/v1/alerts?state=bogus", headers: reader });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
    expectError(last!, "DW_ERR_RATE_LIMITED");
    expect(Number(last!.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(last!.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect(last!.headers["x-ratelimit-limit"]).toBe("3");
    expectDocumented(document, "/api/v1/alerts", "GET", last!);
  });

  it("counts per token name (a role may have its own max), anonymous requests per client IP", async () => {
    const { app } = await open(limited);
    for (let attempt = 0; attempt < 3; attempt++) {
      await app.inject({ url: "/api/v1/alerts?state=bogus", headers: reader });
    }
    expect((await app.inject({ url: "/api/v1/alerts", headers: reader })).statusCode).toBe(429);
    // The write token has a bucket of its own, of its role's size.
    const writes: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      writes.push(
        (await app.inject({ url: "/api/v1/alerts?state=x", headers: writer })).statusCode,
      );
    }
    expect(writes).toEqual([400, 400, 400, 400, 400, 429]);
    // Without a valid token (none, or a wrong one): counted by client IP, refused 429 too.
    const anonymous: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const headers = attempt % 2 === 0 ? {} : bearer("not-a-token-0123456789");
      const response = await app.inject({
        url: "/api/v1/alerts",
        headers,
        remoteAddress: "10.9.8.7",
      });
      anonymous.push(response.statusCode);
    }
    expect(anonymous).toEqual([401, 401, 401, 429]);
    const otherClient = await app.inject({ url: "/api/v1/alerts", remoteAddress: "10.9.8.6" });
    expect(otherClient.statusCode).toBe(401);
  });

  it("never limits health, readiness, metrics or the OpenAPI document", async () => {
    const { app } = await open(limited);
    for (let attempt = 0; attempt < 10; attempt++) {
      for (const url of ["/healthz", "/readyz", "/metrics", "/openapi.json"]) {
        expect((await app.inject({ url } as InjectOptions)).statusCode, url).toBe(200);
      }
    }
  });

  it("can be switched off", async () => {
    const { app } = await open(`${AUTH_YAML}server: { rateLimit: { enabled: false, max: 1 } }\n`);
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await app.inject({ url: "/api/v1/alerts?state=x", headers: reader });
      expect(response.statusCode).toBe(400);
      expect(response.headers["x-ratelimit-limit"]).toBeUndefined();
    }
  });
});
