// Every route's authentication and roles: 401 without or with a wrong token, 403 with a token of
// too low a role, success with the role the route needs; local mode (no tokens) reads only.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql, tableRef } from "../../../src/store/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestEnv, createApiTestEnv, withApp } from "../../support/app.js";
import { AUTH_YAML, bearer, TOKENS } from "../../support/tokens.js";

type Method = "GET" | "POST" | "PUT" | "DELETE";
interface RouteCase {
  readonly method: Method;
  readonly url: string;
  readonly body?: unknown;
  readonly role: "read" | "write" | "admin";
  readonly success: number;
}

const EVENT = { event_id: "e-1", model: "credit-risk", features: { age: 42 } };

const ROUTES: readonly RouteCase[] = [
  { method: "GET", url: "/api/v1/models", role: "read", success: 200 },
  { method: "GET", url: "/api/v1/models/credit-risk", role: "read", success: 200 },
  { method: "GET", url: "/api/v1/models/credit-risk/status", role: "read", success: 200 },
  { method: "GET", url: "/api/v1/models/credit-risk/drift", role: "read", success: 200 },
  { method: "GET", url: "/api/v1/models/credit-risk/performance", role: "read", success: 200 },
  { method: "GET", url: "/api/v1/alerts", role: "read", success: 200 },
  { method: "GET", url: "/api/v1/silences", role: "read", success: 200 },
  { method: "GET", url: "/api/v1/audit", role: "admin", success: 200 },
  { method: "POST", url: "/api/v1/events", body: EVENT, role: "write", success: 202 },
  {
    method: "POST",
    url: "/api/v1/models/credit-risk/evaluate",
    body: {},
    role: "write",
    success: 200,
  },
  {
    method: "PUT",
    url: "/api/v1/models/credit-risk/versions/2/reference",
    body: { kind: "rolling", days: 7 },
    role: "write",
    success: 200,
  },
  {
    method: "POST",
    url: "/api/v1/models/credit-risk/versions",
    body: { version: "3" },
    role: "write",
    success: 201,
  },
  {
    method: "POST",
    url: "/api/v1/silences",
    body: { matchers: ["model=credit-risk"], comment: "maintenance" },
    role: "write",
    success: 201,
  },
  {
    method: "POST",
    url: "/api/v1/models/credit-risk/retrain",
    body: { actions: ["retrain-test"], force: true },
    role: "admin",
    success: 202,
  },
];

const BELOW: Record<RouteCase["role"], string | undefined> = {
  read: undefined,
  write: TOKENS.reader,
  admin: TOKENS.writer,
};
const HOLDING: Record<RouteCase["role"], string> = {
  read: TOKENS.reader,
  write: TOKENS.writer,
  admin: TOKENS.admin,
};

let env: ApiTestEnv;
let hookServer: Server;
let hookUrl: string;

beforeAll(async () => {
  env = await createApiTestEnv("api_auth");
  hookServer = createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(200).end("{}"));
  });
  await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/retrain`;
});

afterAll(async () => {
  await new Promise((resolve) => hookServer?.close(resolve));
  await env?.close();
});

function retrainYaml(): string {
  return `alerts:
  retrain:
    actions:
      - { name: retrain-test, secret: "0123456789abcdef0123", generic: { url: "${hookUrl}" } }
`;
}

describe("every route with tokens configured", () => {
  it("answers 401 without a token and with an unknown one, 403 below its role, success with it", async () => {
    await withApp(env, { yaml: AUTH_YAML + retrainYaml() }, async ({ app }) => {
      for (const route of ROUTES) {
        const request = { method: route.method, url: route.url, payload: route.body as object };
        const label = `${route.method} ${route.url}`;

        const missing = await app.inject(request);
        expect(missing.statusCode, label).toBe(401);
        expect(missing.json().error.code, label).toBe("DW_ERR_UNAUTHENTICATED");
        expect(missing.headers["www-authenticate"], label).toContain("Bearer");

        const wrong = await app.inject({ ...request, headers: bearer("not-a-token-0123456789") });
        expect(wrong.statusCode, label).toBe(401);
        expect(wrong.json().error.message, label).toContain("not valid");

        const below = BELOW[route.role];
        if (below !== undefined) {
          const forbidden = await app.inject({ ...request, headers: bearer(below) });
          expect(forbidden.statusCode, label).toBe(403);
          expect(forbidden.json().error).toMatchObject({ code: "DW_ERR_FORBIDDEN" });
          expect(forbidden.json().error.message, label).toContain(`needs ${route.role}`);
        }

        const allowed = await app.inject({ ...request, headers: bearer(HOLDING[route.role]) });
        expect(allowed.statusCode, `${label}: ${allowed.body}`).toBe(route.success);
        if (route.role !== "admin") {
          const admin = await app.inject({ ...request, headers: bearer(TOKENS.admin) });
          expect(admin.statusCode, `${label} as admin: ${admin.body}`).toBeLessThan(300);
        }
      }
      const retrains = await env.engine.query<{ actor: string; target: string }>(
        sql`SELECT actor, target FROM ${tableRef(env.database, "audit_log")} WHERE action = 'retrain.request'`,
      );
      expect(retrains).toEqual([{ actor: "ops-admin", target: "credit-risk" }]);
    });
  });

  it("refuses a malformed Authorization header and DELETE of a silence below write", async () => {
    await withApp(env, { yaml: AUTH_YAML }, async ({ app }) => {
      const basic = await app.inject({
        method: "GET",
        url: "/api/v1/models",
        headers: { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` },
      });
      expect(basic.statusCode).toBe(401);
      expect(basic.json().error.message).toContain("Bearer <token>");

      const created = await app.inject({
        method: "POST",
        url: "/api/v1/silences",
        headers: bearer(TOKENS.writer),
        payload: { matchers: ["model=credit-risk"], comment: "x" },
      });
      const id = created.json().id as string;
      const asReader = await app.inject({
        method: "DELETE",
        url: `/api/v1/silences/${id}`,
        headers: bearer(TOKENS.reader),
      });
      expect(asReader.statusCode).toBe(403);
      const asWriter = await app.inject({
        method: "DELETE",
        url: `/api/v1/silences/${id}`,
        headers: bearer(TOKENS.writer),
      });
      expect(asWriter.statusCode).toBe(200);
      expect(asWriter.json().status).toBe("expired");
    });
  });

  it("keeps health, readiness, metrics and the OpenAPI document public", async () => {
    await withApp(env, { yaml: AUTH_YAML }, async ({ app }) => {
      for (const url of ["/healthz", "/readyz", "/metrics", "/openapi.json"]) {
        expect((await app.inject({ method: "GET", url })).statusCode, url).toBe(200);
      }
    });
  });

  it("never writes a token into the logs", async () => {
    await withApp(env, { yaml: AUTH_YAML }, async ({ app, logs }) => {
      await app.inject({ method: "GET", url: "/api/v1/models", headers: bearer(TOKENS.reader) });
      await app.inject({
        method: "GET",
        url: "/api/v1/alerts?state=bogus",
        headers: bearer(TOKENS.admin),
      });
      await app.inject({
        method: "GET",
        url: "/api/v1/models",
        headers: bearer("guessed-token-0123456789"),
      });
      expect(logs()).toContain("incoming request");
      for (const token of [...Object.values(TOKENS), "guessed-token-0123456789"]) {
        expect(logs()).not.toContain(token);
      }
    });
  });
});

describe("local mode (no tokens configured)", () => {
  it("lets anyone read and asks for a token to change anything", async () => {
    await withApp(env, {}, async ({ app }) => {
      const models = await app.inject({ method: "GET", url: "/api/v1/models" });
      expect(models.statusCode).toBe(200);
      expect(models.json().models[0].model).toBe("credit-risk");
      const events = await app.inject({ method: "POST", url: "/api/v1/events", payload: EVENT });
      expect(events.statusCode).toBe(401);
      expect(events.json().error.message).toContain("role write");
    });
  });

  it("refuses reads without a token when auth.enabled is true", async () => {
    await withApp(env, { yaml: AUTH_YAML + "  enabled: true\n" }, async ({ app }) => {
      expect((await app.inject({ method: "GET", url: "/api/v1/models" })).statusCode).toBe(401);
    });
  });
});
