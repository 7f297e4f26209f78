// redactConfig: secrets never reach logs, everything else stays visible.
import { describe, expect, it } from "vitest";
import { Type } from "@sinclair/typebox";
import {
  parseConfig,
  REDACTED,
  redactConfig,
  redactWithSchema,
} from "../../../src/config/index.js";
import { Secret } from "../../../src/config/schema/kit.js";

describe("redactConfig", () => {
  it("hides Kafka SASL and ClickHouse passwords, wherever they came from", () => {
    const config = parseConfig(
      "kafka:\n  sasl: { username: svc, password: '${KAFKA_PW}' }\nclickhouse:\n  username: writer\n",
      { env: { KAFKA_PW: "kafka-secret-1", DRIFTWATCH_CLICKHOUSE_PASSWORD: "ch-secret-2" } },
    );
    const redacted = redactConfig(config);
    const text = JSON.stringify(redacted);
    expect(text).not.toContain("kafka-secret-1");
    expect(text).not.toContain("ch-secret-2");
    expect(redacted).toMatchObject({
      kafka: { sasl: { username: "svc", password: REDACTED } },
      clickhouse: { username: "writer", password: REDACTED },
    });
    // The original is untouched.
    expect(config.clickhouse.password).toBe("ch-secret-2");
  });

  it("leaves absent secrets absent and non-secret values as they are", () => {
    const config = parseConfig("", { env: {} });
    expect(redactConfig(config)).toEqual(JSON.parse(JSON.stringify(config)));
  });
});

describe("redactWithSchema", () => {
  it("follows records, arrays and unions to the secrets of later sections", () => {
    const schema = Type.Object({
      receivers: Type.Array(
        Type.Union([
          Type.Object({ kind: Type.Literal("slack"), token: Secret() }),
          Type.Object({
            kind: Type.Literal("webhook"),
            url: Type.String(),
            headers: Type.Record(Type.String(), Secret()),
          }),
        ]),
      ),
    });
    const value = {
      receivers: [
        { kind: "slack", token: "xoxb-1" },
        { kind: "webhook", url: "https://hooks.example", headers: { Authorization: "Bearer 2" } },
      ],
    };
    expect(redactWithSchema(value, schema)).toEqual({
      receivers: [
        { kind: "slack", token: REDACTED },
        { kind: "webhook", url: "https://hooks.example", headers: { Authorization: REDACTED } },
      ],
    });
    expect(value.receivers[0]).toEqual({ kind: "slack", token: "xoxb-1" });
  });
});
