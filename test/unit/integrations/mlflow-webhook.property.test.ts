// Property-based tests of what MLflow sends and what users write: the webhook signature check
// (only the exact signed bytes pass), the payload parser (any text either parses or is refused
// naming the field, never anything else), and the integrations.mlflow config with nasty strings
// (kept exactly, or refused with a ConfigError).
import fc from "fast-check";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../src/config/index.js";
import {
  MlflowWebhookError,
  parseMlflowWebhook,
  verifyMlflowSignature,
} from "../../../src/integrations/index.js";

const RUNS = Number(process.env.DRIFTWATCH_PROPERTY_RUNS ?? 300);
const NOW = Date.UTC(2026, 10, 23, 8);

function signed(secret: string, id: string, timestamp: string, body: string) {
  const signature = createHmac("sha256", secret)
    .update(`${id}.${timestamp}.${body}`)
    .digest("base64");
  return {
    "x-mlflow-signature": `v1,${signature}`,
    "x-mlflow-delivery-id": id,
    "x-mlflow-timestamp": timestamp,
  };
}

const nasty = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", " ", "\u0000", "${HOME}", "$${X}", "'; DROP TABLE x; --", "\u202e", "𝔘𝔫𝔦"),
);

describe("MLflow webhook signature", () => {
  it("accepts exactly what was signed with the secret, within maxAge", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.uuid(),
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.integer({ min: -299, max: 299 }),
        (secret, id, body, skewSeconds) => {
          const timestamp = String(Math.floor(NOW / 1000) + skewSeconds);
          const headers = signed(secret, id, timestamp, body);
          verifyMlflowSignature({ secret, headers, body, nowMs: NOW, maxAgeMs: 300_000 });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("refuses any change to the body, the id, the timestamp or the secret", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 32 }),
        fc.uuid(),
        fc.string({ maxLength: 100 }),
        fc.constantFrom("body", "id", "timestamp", "secret"),
        fc.string({ minLength: 1, maxLength: 8 }),
        (secret, id, body, what, extra) => {
          const timestamp = String(Math.floor(NOW / 1000));
          const headers = signed(secret, id, timestamp, body);
          const input = { secret, headers, body, nowMs: NOW, maxAgeMs: 300_000 };
          const tampered =
            what === "body"
              ? { ...input, body: body + extra }
              : what === "secret"
                ? { ...input, secret: secret + extra }
                : what === "id"
                  ? { ...input, headers: { ...headers, "x-mlflow-delivery-id": id + extra } }
                  : {
                      ...input,
                      headers: { ...headers, "x-mlflow-timestamp": `${Number(timestamp) + 1}` },
                    };
          expect(() => verifyMlflowSignature(tampered)).toThrow(MlflowWebhookError);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("refuses missing headers and stale deliveries", () => {
    const body = "{}";
    const headers = signed("s", "id", String(Math.floor(NOW / 1000) - 600), body);
    expect(() =>
      verifyMlflowSignature({ secret: "s", headers, body, nowMs: NOW, maxAgeMs: 300_000 }),
    ).toThrow(/replay/);
    expect(() =>
      verifyMlflowSignature({ secret: "s", headers: {}, body, nowMs: NOW, maxAgeMs: 300_000 }),
    ).toThrow(/x-mlflow-signature header is missing/);
  });
});

describe("MLflow webhook payload parser", () => {
  const payload = (entity: unknown, action: unknown, data: unknown) =>
    JSON.stringify({ entity, action, timestamp: "2026-11-23T08:00:00Z", data });

  it("reads alias and version events as MLflow sends them", () => {
    expect(
      parseMlflowWebhook(
        payload("model_version_alias", "created", { name: "m", alias: "champion", version: "3" }),
      ),
    ).toEqual({ kind: "alias-created", name: "m", alias: "champion", version: "3" });
    expect(
      parseMlflowWebhook(
        payload("model_version", "created", { name: "m", version: "4", source: "x", tags: {} }),
      ),
    ).toEqual({ kind: "version-created", name: "m", version: "4" });
    expect(parseMlflowWebhook(payload("prompt", "created", {}))).toEqual({
      kind: "other",
      entity: "prompt",
      action: "created",
    });
  });

  it("any text parses or is refused with a MlflowWebhookError, never another error", () => {
    const jsonish = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.json({ maxDepth: 3 }),
      fc
        .record({
          entity: fc.oneof(
            fc.constantFrom("model_version_alias", "model_version"),
            nasty,
            fc.anything(),
          ),
          action: fc.oneof(fc.constant("created"), nasty, fc.anything()),
          data: fc.oneof(
            fc.record({
              name: fc.oneof(nasty, fc.anything()),
              alias: fc.oneof(nasty, fc.anything()),
              version: fc.oneof(fc.nat().map(String), nasty, fc.integer(), fc.anything()),
            }),
            fc.anything(),
          ),
        })
        .map((value) => JSON.stringify(value) ?? "null"),
    );
    fc.assert(
      fc.property(jsonish, (body) => {
        try {
          const event = parseMlflowWebhook(body);
          if (event.kind !== "other") {
            expect(event.name.length).toBeGreaterThan(0);
            expect(event.version).toMatch(/^[1-9][0-9]*$/);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(MlflowWebhookError);
          expect((error as MlflowWebhookError).reason).toBe("payload");
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("integrations.mlflow config with nasty strings", () => {
  const yaml = (registeredModel: string, alias: string, artifactPath: string) =>
    `integrations:
  mlflow:
    trackingUri: http://127.0.0.1:5000
    models:
      - model: credit
        registeredModel: ${JSON.stringify(registeredModel)}
        alias: ${JSON.stringify(alias)}
        reference: {kind: dataset, artifactPath: ${JSON.stringify(artifactPath)}}
`;

  it("keeps names exactly as written, or refuses them with a ConfigError", () => {
    fc.assert(
      fc.property(nasty, nasty, nasty, (registeredModel, alias, artifactPath) => {
        let config;
        try {
          config = parseConfig(yaml(registeredModel, alias, artifactPath), { env: {} });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          return;
        }
        const followed = config.integrations.mlflow!.models[0]!;
        // ${VAR} in values is substituted (here: unset → refused above); $${X} is the escape.
        const unescape = (text: string) => text.replace(/\$\$\{/g, "${");
        expect(followed.registeredModel).toBe(unescape(registeredModel));
        expect(followed.alias).toBe(unescape(alias));
        expect(followed.reference.artifactPath).toBe(unescape(artifactPath));
      }),
      { numRuns: RUNS },
    );
  });

  it("names the field when a reference kind lacks its fields or has another kind's", () => {
    const text = `integrations:
  mlflow:
    trackingUri: http://127.0.0.1:5000
    models:
      - model: credit
        registeredModel: Credit
        alias: champion
        stage: Production
        reference: {kind: trainingWindow, from: train_start, days: 3}
`;
    let message = "";
    try {
      parseConfig(text, { env: {} });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("integrations.mlflow.models[0].alias");
    expect(message).toContain("set exactly one of alias and stage");
    expect(message).toMatch(/reference\.days.*not a field of a trainingWindow reference/);
    expect(message).toMatch(/reference\.to.*required for a trainingWindow reference/);
  });

  it("takes the webhook secret from the environment and redacts nothing else", () => {
    const config = parseConfig(
      `integrations:
  mlflow:
    trackingUri: https://mlflow.example.com/prefix
    username: \${MLFLOW_TRACKING_USERNAME}
    password: \${MLFLOW_TRACKING_PASSWORD}
    webhook:
      secret: \${MLFLOW_WEBHOOK_SECRET}
    models:
      - {model: m, registeredModel: M, alias: champion, reference: {kind: rolling, days: 7}}
`,
      {
        env: {
          MLFLOW_TRACKING_USERNAME: "svc",
          MLFLOW_TRACKING_PASSWORD: "pa:ss",
          MLFLOW_WEBHOOK_SECRET: "0123456789abcdef0123",
        },
      },
    );
    expect(config.integrations.mlflow).toMatchObject({
      username: "svc",
      password: "pa:ss",
      webhook: { secret: "0123456789abcdef0123", maxAge: "5m" },
      polling: { enabled: true, interval: "30s" },
      writeTags: true,
      retries: 3,
    });
  });
});
