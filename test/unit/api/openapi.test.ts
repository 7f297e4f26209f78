// The served /openapi.json is valid OpenAPI 3.0.3 (checked with the OpenAPI Initiative's JSON
// Schema, not by eye) and exact: public routes without security, every limit the server
// enforces declared, every framework-level error documented where it can happen.
import { afterEach, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { ALERT_STATES } from "../../../alerts/index.js";
import { toOpenApi30Schemas } from "../../../src/api/openapi-document.js";
import { MAX_PATH_SEGMENT_BYTES } from "../../../src/api/schemas/common.js";
import { MAX_EVENTS_PER_REQUEST } from "../../../src/api/schemas/events.js";
import { openApi30Problems } from "./openapi-validator.js";
import { stubApp } from "./stub-app.js";
import { AUTH_YAML } from "../../support/tokens.js";

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: {
    required?: boolean;
    content: Record<string, { schema: Record<string, unknown> }>;
  };
  responses: Record<
    string,
    { description: string; headers?: Record<string, unknown>; content?: Record<string, unknown> }
  >;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const PUBLIC = ["/healthz", "/readyz", "/metrics", "/openapi.json"];

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function documentOf(yaml: string): Promise<Document> {
  app = await stubApp(yaml);
  const response = await app.inject({ method: "GET", url: "/openapi.json" });
  expect(response.statusCode).toBe(200);
  return response.json() as Document;
}

function operations(document: Document): [string, string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(
      ([method, operation]) => [path, method, operation] as [string, string, Operation],
    ),
  );
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.0.3 by the published 3.0 JSON Schema, with and without tokens", async () => {
    for (const yaml of ["", AUTH_YAML]) {
      const document = await documentOf(yaml);
      expect(document.openapi).toBe("3.0.3");
      expect(openApi30Problems(document)).toEqual([]);
      await app!.close();
      app = undefined;
    }
  });

  it("is checked by a validator that refuses what 3.0 does not allow", async () => {
    const document = await documentOf("");
    const withSchema = (schema: unknown) => {
      const broken = structuredClone(document);
      broken.components.schemas.Broken = schema;
      return openApi30Problems(broken);
    };
    expect(withSchema({ type: "number", exclusiveMinimum: 0 })).not.toEqual([]);
    expect(withSchema({ type: ["string", "null"] })).not.toEqual([]);
    expect(withSchema({ const: "x" })).not.toEqual([]);
    expect(withSchema({ type: "number", minimum: 0, exclusiveMinimum: true })).toEqual([]);
    expect(withSchema({ type: "string", nullable: true })).toEqual([]);
  });

  it("marks only the public routes as needing no token; local-mode reads as optional", async () => {
    const local = await documentOf("");
    expect(Object.keys(local.paths)).toEqual(expect.arrayContaining(PUBLIC));
    for (const [path, method, operation] of operations(local)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (PUBLIC.includes(path)) {
        expect(operation.security, where).toEqual([]);
        expect(operation.responses["401"], where).toBeUndefined();
        expect(operation.responses["429"], where).toBeUndefined();
      } else if (method === "get" && path !== "/api/v1/audit") {
        expect(operation.security, where).toEqual([{ bearerAuth: [] }, {}]);
      } else {
        expect(operation.security, where).toEqual([{ bearerAuth: [] }]);
      }
    }
    await app!.close();
    const withTokens = await documentOf(AUTH_YAML);
    for (const [path, method, operation] of operations(withTokens)) {
      if (PUBLIC.includes(path)) continue;
      expect(operation.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      expect(operation.responses["401"], `${method} ${path}`).toBeDefined();
      // Every token may read: only routes above read can refuse a valid token.
      expect(operation.responses["403"] !== undefined, `${method} ${path}`).toBe(
        method !== "get" || path === "/api/v1/audit",
      );
    }
  });

  it("declares the path limits the router enforces and documents 414 for longer segments", async () => {
    const document = await documentOf("");
    const parameter = (path: string, method: string, name: string) =>
      document.paths[path]![method]!.parameters!.find((entry) => entry.name === name)!.schema;
    expect(parameter("/api/v1/models/{model}", "get", "model")).toMatchObject({
      minLength: 1,
      maxLength: 64,
      pattern: "^[A-Za-z0-9_.-]{1,64}$",
    });
    expect(
      parameter("/api/v1/models/{model}/versions/{version}/reference", "put", "version"),
    ).toMatchObject({ minLength: 1, maxLength: 128 });
    expect(parameter("/api/v1/silences/{id}", "delete", "id")).toMatchObject({
      minLength: 1,
      maxLength: 128,
    });
    for (const [path, method, operation] of operations(document)) {
      const pathParameters = (operation.parameters ?? []).filter((entry) => entry.in === "path");
      expect(operation.responses["414"] !== undefined, `${method} ${path}`).toBe(
        pathParameters.length > 0,
      );
      for (const { name, schema } of pathParameters) {
        // The longest valid value, percent-encoded 4-byte characters, still reaches validation.
        expect(schema.maxLength, `${path} ${name}`).toBeDefined();
        expect((schema.maxLength as number) * 12, `${path} ${name}`).toBeLessThanOrEqual(
          MAX_PATH_SEGMENT_BYTES,
        );
      }
    }
  });

  it("declares the query enums, bounds and body limits the server enforces", async () => {
    const document = await documentOf("");
    const state = document.paths["/api/v1/alerts"]!.get!.parameters!.find(
      (entry) => entry.name === "state",
    )!.schema;
    expect(state).toMatchObject({ type: "string", minLength: 1, maxLength: 200 });
    const pattern = new RegExp(state.pattern as string);
    for (const name of ALERT_STATES) expect(pattern.test(name), name).toBe(true);
    expect(pattern.test("pending,firing")).toBe(true);
    for (const refused of ["", ",", "pending,", "bogus", "pending,,firing"]) {
      expect(pattern.test(refused), JSON.stringify(refused)).toBe(false);
    }
    const drift = document.paths["/api/v1/models/{model}/drift"]!.get!.parameters!;
    expect(drift.find((entry) => entry.name === "limit")!.schema).toMatchObject({
      minimum: 1,
      maximum: 100_000,
    });
    const reference =
      document.paths["/api/v1/models/{model}/versions/{version}/reference"]!.put!.requestBody!
        .content["application/json"]!.schema;
    // One schema per kind, each with exactly its fields, chosen by `kind`.
    expect(reference).toMatchObject({
      oneOf: [
        { $ref: "#/components/schemas/FixedReference" },
        { $ref: "#/components/schemas/RollingReference" },
        { $ref: "#/components/schemas/DatasetReference" },
      ],
      discriminator: {
        propertyName: "kind",
        mapping: {
          fixed: "#/components/schemas/FixedReference",
          rolling: "#/components/schemas/RollingReference",
          dataset: "#/components/schemas/DatasetReference",
        },
      },
    });
    const kinds = document.components.schemas as Record<string, Record<string, unknown>>;
    expect(kinds.RollingReference).toMatchObject({
      additionalProperties: false,
      required: ["kind", "days"],
      properties: { kind: { enum: ["rolling"] } },
    });
    expect((kinds.RollingReference!.properties as Record<string, unknown>).days).toEqual({
      type: "integer",
      minimum: 1,
      maximum: 3650,
      description: "whole days before each window",
    });
    expect(Object.keys(kinds.FixedReference!.properties as object)).toEqual(["kind", "from", "to"]);
    expect(Object.keys(kinds.DatasetReference!.properties as object)).toEqual([
      "kind",
      "rows",
      "predictionColumn",
      "labelColumn",
    ]);
    const retrain = document.paths["/api/v1/models/{model}/retrain"]!.post!.requestBody!.content[
      "application/json"
    ]!.schema as { properties: Record<string, unknown> };
    expect(retrain.properties.actions).toMatchObject({ minItems: 1, maxItems: 20 });
    const events = document.paths["/api/v1/events"]!.post!;
    const eventsBody = events.requestBody!.content["application/json"]!.schema;
    expect(JSON.stringify(eventsBody)).toContain(`"maxItems":${MAX_EVENTS_PER_REQUEST}`);
    expect(events.responses["413"]!.description).toContain("1048576 bytes");
    expect(events.responses["415"]).toBeDefined();
  });

  it("says which bodies may be left out and what each time, matcher and window accepts", async () => {
    const document = await documentOf(AUTH_YAML);
    const bodies = operations(document).filter(([, , operation]) => operation.requestBody);
    for (const [path, method, operation] of bodies) {
      const optional = ["/api/v1/models/{model}/evaluate", "/api/v1/models/{model}/retrain"];
      expect(operation.requestBody!.required, `${method} ${path}`).toBe(!optional.includes(path));
      expect(JSON.stringify(operation), `${method} ${path}`).not.toContain("x-driftwatch");
    }
    for (const [path, parameter] of [
      ["/api/v1/models/{model}/drift", "from"],
      ["/api/v1/models/{model}/performance", "to"],
      ["/api/v1/audit", "from"],
    ] as const) {
      const schema = document.paths[path]!.get!.parameters!.find(
        (entry) => entry.name === parameter,
      )!.schema as { anyOf: Record<string, unknown>[] };
      expect(
        schema.anyOf.map((form) => form.format ?? "pattern"),
        path,
      ).toEqual(["date-time", "date", "pattern", "pattern"]);
      for (const form of schema.anyOf) expect(form, path).toMatchObject({ type: "string" });
    }
    const body = (path: string) =>
      document.paths[path]!.post!.requestBody!.content["application/json"]!.schema as {
        properties: Record<string, Record<string, unknown>>;
        required?: string[];
        anyOf?: unknown[];
      };
    // What no schema states is in the 400 answer's description.
    expect(
      document.paths["/api/v1/models/{model}/evaluate"]!.post!.responses["400"]!.description,
    ).toContain("`from` is not before its `to`");
    expect(document.paths["/api/v1/audit"]!.get!.responses["400"]!.description).toContain(
      "`to` defaults to now",
    );
    const evaluate = body("/api/v1/models/{model}/evaluate");
    expect(evaluate.anyOf).toHaveLength(2);
    expect((evaluate.properties.from!.anyOf as Record<string, unknown>[])[0]).toMatchObject({
      type: "integer",
      minimum: 0,
      maximum: 4_294_967_295_000,
    });
    const silence = body("/api/v1/silences");
    expect(silence.required).toEqual(["matchers", "comment"]);
    expect(silence.properties.comment).toMatchObject({ minLength: 1, maxLength: 1000 });
    const items = (silence.properties.matchers!.items as { anyOf: Record<string, unknown>[] })
      .anyOf;
    expect(items[0]).toMatchObject({ type: "string", minLength: 1, maxLength: 8192 });
    expect(new RegExp(items[0]!.pattern as string, "u").test("model=credit-risk")).toBe(true);
    expect(new RegExp(items[0]!.pattern as string, "u").test("0")).toBe(false);
  });

  it("documents every framework answer in the error shape, 429 with Retry-After", async () => {
    const document = await documentOf(AUTH_YAML);
    const body = (method: string) => ["post", "put", "delete", "patch"].includes(method);
    for (const [path, method, operation] of operations(document)) {
      const where = `${method.toUpperCase()} ${path}`;
      const statuses = Object.keys(operation.responses);
      expect(statuses, where).toEqual(expect.arrayContaining(["431", "500"]));
      if (body(method)) expect(statuses, where).toEqual(expect.arrayContaining(["413", "415"]));
      if (PUBLIC.includes(path)) continue;
      expect(statuses, where).toEqual(expect.arrayContaining(["401", "429", "503"]));
      expect(Object.keys(operation.responses["429"]!.headers ?? {}), where).toContain(
        "Retry-After",
      );
      for (const status of ["401", "413", "429", "431", "500"]) {
        const response = operation.responses[status];
        if (response === undefined) continue;
        expect(response.content, `${where} ${status}`).toEqual({
          "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } },
        });
        expect(response.description, `${where} ${status}`).toMatch(/^DW_ERR_/);
      }
    }
  });

  it("can leave the rate limit out of the document when it is off", async () => {
    const document = await documentOf("server: { rateLimit: { enabled: false } }");
    for (const [path, method, operation] of operations(document)) {
      expect(operation.responses["429"], `${method} ${path}`).toBeUndefined();
    }
  });
});

describe("toOpenApi30Schemas", () => {
  it("rewrites numeric exclusive bounds to the 3.0 boolean form and const to enum", () => {
    const schema = {
      properties: {
        a: { type: "number", exclusiveMinimum: 0 },
        b: { type: "number", exclusiveMaximum: 10, maximum: 20 },
        c: { type: "number", exclusiveMinimum: 0, minimum: 5 },
        d: { const: "x" },
      },
    };
    toOpenApi30Schemas(schema);
    expect(schema.properties).toEqual({
      a: { type: "number", minimum: 0, exclusiveMinimum: true },
      b: { type: "number", maximum: 10, exclusiveMaximum: true },
      c: { type: "number", minimum: 5 },
      d: { enum: ["x"] },
    });
  });
});
