// The CloudEvents routes over a recording producer: a half is produced with its ce-* headers,
// keyed by ce-id, body bytes untouched (a truncated body too); a wrong or missing credential is
// refused before the body is read and never logged; missing attributes answer 400; a Kafka
// failure 503; the OpenAPI document stays valid 3.0 with the credential path public and the
// plain path behind a write token; without integrations.kserve there is no route.
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../../src/api/index.js";
import { parseConfig } from "../../../src/config/index.js";
import type { OutgoingRecord, Producer } from "../../../src/kafka/index.js";
import { createMetricsRegistry } from "../../../src/metrics/registry.js";
import { openApi30Problems } from "./openapi-validator.js";

const KEY = "kserve-ingest-0123456789abcdef";
const WRITER = "write-token-0123456789abcdef";
const YAML = `auth:
  tokens: [{ name: pipeline, token: "\${W}", role: write }]
integrations:
  kserve: { credential: "\${K}" }
`;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(yaml: string, fail = false) {
  const sent: { topic: string; records: readonly OutgoingRecord[] }[] = [];
  const logs: string[] = [];
  const producer: Producer = {
    connect: async () => {},
    close: async () => {},
    send: async (topic, records) => {
      if (fail) throw new Error("broker down");
      sent.push({ topic, records });
    },
  };
  app = await buildApp({
    config: parseConfig(yaml, { env: { K: KEY, W: WRITER } }),
    engine: { ping: async () => {}, query: async () => [], close: async () => {} } as never,
    producer,
    monitor: {} as never,
    alertsApi: {} as never,
    registry: createMetricsRegistry(),
    logger: pino({ level: "info" }, { write: (line: string) => void logs.push(line) }),
  });
  return { app, sent, logs };
}

const CE = {
  "content-type": "application/json",
  "ce-specversion": "1.0",
  "ce-id": "0f99bba8-dfa1-415f-b053-970890db8a60",
  "ce-type": "org.kubeflow.serving.inference.request",
  "ce-source": "http://localhost:8080/",
  "ce-inferenceservicename": "sklearn-iris",
};

describe("POST /api/v1/ingest/cloudevents", () => {
  it("produces the half as received, keyed by ce-id", async () => {
    const { app, sent, logs } = await build(YAML);
    const body = '{"instances": [[6.8, 2.8, 4.8';
    const response = await app.inject({
      method: "POST",
      url: `/api/v1/ingest/cloudevents/${KEY}`,
      headers: CE,
      payload: body,
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      accepted: true,
      id: CE["ce-id"],
      half: "request",
      topic: "driftwatch.cloudevents",
    });
    expect(sent).toHaveLength(1);
    const [record] = sent[0]!.records;
    expect(record!.key).toBe(CE["ce-id"]);
    expect(Buffer.from(record!.value).toString()).toBe(body);
    expect(record!.headers).toMatchObject(CE);
    expect(logs.join("\n")).not.toContain(KEY);
    expect(logs.join("\n")).toContain("/api/v1/ingest/cloudevents/[redacted]");
  });

  it("refuses wrong credentials, missing attributes, and answers 503 when Kafka fails", async () => {
    const { app, sent } = await build(YAML);
    const wrong = await app.inject({
      method: "POST",
      url: "/api/v1/ingest/cloudevents/kserve-ingest-0123456789abcdeX",
      headers: CE,
      payload: "{}",
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe("DW_ERR_UNAUTHENTICATED");
    const bearerless = await app.inject({
      method: "POST",
      url: "/api/v1/ingest/cloudevents",
      headers: CE,
      payload: "{}",
    });
    expect(bearerless.statusCode).toBe(401);
    const withToken = await app.inject({
      method: "POST",
      url: "/api/v1/ingest/cloudevents",
      headers: { ...CE, authorization: `Bearer ${WRITER}` },
      payload: "{}",
    });
    expect(withToken.statusCode).toBe(202);
    const noId: Record<string, string> = { ...CE };
    delete noId["ce-id"];
    const missing = await app.inject({
      method: "POST",
      url: `/api/v1/ingest/cloudevents/${KEY}`,
      headers: noId,
      payload: "{}",
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe("DW_ERR_VALIDATION");
    const otherType = await app.inject({
      method: "POST",
      url: `/api/v1/ingest/cloudevents/${KEY}`,
      headers: { ...CE, "ce-type": "org.kubeflow.serving.inference.outlier" },
      payload: "{}",
    });
    expect(otherType.statusCode).toBe(400);
    expect(sent).toHaveLength(1);
    await app.close();
    const failing = await build(YAML, true);
    const unavailable = await failing.app.inject({
      method: "POST",
      url: `/api/v1/ingest/cloudevents/${KEY}`,
      headers: CE,
      payload: "{}",
    });
    expect(unavailable.statusCode).toBe(503);
  });

  it("is in a valid OpenAPI 3.0 document, and absent without integrations.kserve", async () => {
    const { app } = await build(YAML);
    const document = (await app.inject({ method: "GET", url: "/openapi.json" })).json();
    expect(openApi30Problems(document)).toEqual([]);
    const withKey = document.paths["/api/v1/ingest/cloudevents/{credential}"].post;
    const plain = document.paths["/api/v1/ingest/cloudevents"].post;
    expect(withKey.security).toEqual([]);
    expect(plain.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(withKey.responses)).toEqual(
      expect.arrayContaining(["202", "400", "401", "413", "415", "503"]),
    );
    await app.close();
    const without = await build("");
    const none = await without.app.inject({
      method: "POST",
      url: `/api/v1/ingest/cloudevents/${KEY}`,
      headers: CE,
      payload: "{}",
    });
    expect(none.statusCode).toBe(404);
  });
});
