// Event validation against the contract: the row a valid event becomes, and for each kind of
// invalid message the reason code and a detail naming the field.
import { describe, expect, it } from "vitest";
import {
  validateLabel,
  validatePrediction,
  type IncomingMessage,
} from "../../../src/ingest/validate.js";

const RULES = { maxEventBytes: 1_000 };
const KAFKA_TS = Date.UTC(2026, 10, 23, 9, 30, 0, 250);

function message(value: string | Buffer | null): IncomingMessage {
  return {
    topic: "preds",
    partition: 2,
    offset: 41,
    timestampMs: KAFKA_TS,
    value: typeof value === "string" ? Buffer.from(value, "utf8") : value,
  };
}

function predict(event: unknown) {
  return validatePrediction(message(JSON.stringify(event)), RULES, 1_700_000_000);
}

describe("validatePrediction", () => {
  it("splits features into numeric, categorical and missing arrays", () => {
    const verdict = predict({
      event_id: "c0a8-1",
      model: "credit-risk",
      model_version: "3",
      timestamp: "2026-11-23T08:00:00.123Z",
      features: {
        age: 42,
        income: 52000.5,
        region: "EU",
        employed: true,
        retired: false,
        score: null,
      },
      prediction: 0.83,
      label: 1,
    });
    expect(verdict).toEqual({
      ok: true,
      row: {
        model: "credit-risk",
        model_version: "3",
        event_id: "c0a8-1",
        ts: Date.UTC(2026, 10, 23, 8, 0, 0) / 1000,
        ts_ms: 123,
        num_names: ["age", "income"],
        num_values: [42, 52000.5],
        cat_names: ["region", "employed", "retired"],
        cat_values: ["EU", "true", "false"],
        missing_names: ["score"],
        prediction: "0.83",
        prediction_value: 0.83,
        label: "1",
        label_value: 1,
        kafka_topic: "preds",
        kafka_partition: 2,
        kafka_offset: 41,
        ingested_at: 1_700_000_000,
      },
    });
  });

  it("defaults model_version and the event time (the Kafka timestamp)", () => {
    const verdict = predict({ event_id: "e", model: "m", features: {} });
    expect(verdict.ok && verdict.row.model_version).toBe("unknown");
    expect(verdict.ok && verdict.row.ts * 1000 + verdict.row.ts_ms).toBe(KAFKA_TS);
    expect(verdict.ok && verdict.row.prediction).toBeNull();
  });

  it("accepts epoch milliseconds, offsets and string predictions", () => {
    const epoch = predict({
      event_id: "e",
      model: "m",
      features: {},
      timestamp: 1_795_420_800_123,
    });
    expect(epoch.ok && [epoch.row.ts, epoch.row.ts_ms]).toEqual([1_795_420_800, 123]);
    const offset = predict({
      event_id: "e",
      model: "m",
      features: {},
      timestamp: "2026-11-23T10:00:00+02:00",
      prediction: "approve",
    });
    expect(offset.ok && offset.row.ts).toBe(Date.UTC(2026, 10, 23, 8) / 1000);
    expect(offset.ok && [offset.row.prediction, offset.row.prediction_value]).toEqual([
      "approve",
      null,
    ]);
  });

  it("keeps feature names as data: any non-empty string up to 256 characters", () => {
    const name = "od280/od315_of_diluted_wines 'quoted' \"x\" ü";
    const verdict = predict({
      event_id: "e",
      model: "m",
      features: { [name]: 1.5, ["é".repeat(256)]: "a" },
    });
    expect(verdict.ok && verdict.row.num_names).toEqual([name]);
    expect(verdict.ok && verdict.row.cat_names).toEqual(["é".repeat(256)]);
  });

  it("applies feature kinds a model's config forces", () => {
    const forced = new Map([
      ["zip", "categorical" as const],
      ["amount", "numeric" as const],
    ]);
    const verdict = validatePrediction(
      message(
        JSON.stringify({ event_id: "e", model: "m", features: { zip: 10115, amount: "12.5" } }),
      ),
      { ...RULES, forcedKinds: (model) => (model === "m" ? forced : undefined) },
      0,
    );
    expect(verdict.ok && [verdict.row.cat_names, verdict.row.cat_values]).toEqual([
      ["zip"],
      ["10115"],
    ]);
    expect(verdict.ok && [verdict.row.num_names, verdict.row.num_values]).toEqual([
      ["amount"],
      [12.5],
    ]);
  });

  const invalid: [string, string | Buffer | null, string, RegExp][] = [
    ["empty payload", null, "invalid_json", /empty/],
    ["not JSON", "{not json", "invalid_json", /JSON/],
    ["not UTF-8", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), "not_utf8", /UTF-8/],
    [
      "over the size limit",
      JSON.stringify({ event_id: "e", model: "m", features: { x: "a".repeat(1_000) } }),
      "too_large",
      /limit ingest\.maxEventBytes is 1000/,
    ],
    ["a JSON array", "[1,2]", "wrong_type", /^event: expected a JSON object, got array/],
    [
      "missing event_id",
      JSON.stringify({ model: "m", features: {} }),
      "missing_field",
      /^event_id: required/,
    ],
    [
      "null model",
      JSON.stringify({ event_id: "e", model: null, features: {} }),
      "missing_field",
      /^model: required/,
    ],
    [
      "missing features",
      JSON.stringify({ event_id: "e", model: "m" }),
      "missing_field",
      /^features: required/,
    ],
    [
      "numeric event_id",
      JSON.stringify({ event_id: 7, model: "m", features: {} }),
      "wrong_type",
      /^event_id: expected a string, got number/,
    ],
    [
      "features as array",
      JSON.stringify({ event_id: "e", model: "m", features: [1] }),
      "wrong_type",
      /^features: expected an object, got array/,
    ],
    [
      "boolean prediction",
      JSON.stringify({ event_id: "e", model: "m", features: {}, prediction: true }),
      "wrong_type",
      /^prediction: expected a number or a string/,
    ],
    [
      "infinite prediction",
      '{"event_id":"e","model":"m","features":{},"prediction":1e400}',
      "wrong_type",
      /^prediction: number out of range/,
    ],
    [
      "empty event_id",
      JSON.stringify({ event_id: "", model: "m", features: {} }),
      "bad_event_id",
      /^event_id:/,
    ],
    [
      "long event_id",
      JSON.stringify({ event_id: "x".repeat(129), model: "m", features: {} }),
      "bad_event_id",
      /128/,
    ],
    [
      "model with a space",
      JSON.stringify({ event_id: "e", model: "credit risk", features: {} }),
      "bad_model_name",
      /^model: "credit risk"/,
    ],
    [
      "model too long",
      JSON.stringify({ event_id: "e", model: "m".repeat(65), features: {} }),
      "bad_model_name",
      /^model:/,
    ],
    [
      "30 February",
      JSON.stringify({
        event_id: "e",
        model: "m",
        features: {},
        timestamp: "2026-02-30T00:00:00Z",
      }),
      "bad_timestamp",
      /^timestamp: day 30/,
    ],
    [
      "no time zone",
      JSON.stringify({ event_id: "e", model: "m", features: {}, timestamp: "2026-11-23T08:00:00" }),
      "bad_timestamp",
      /RFC 3339/,
    ],
    [
      "fractional epoch",
      JSON.stringify({ event_id: "e", model: "m", features: {}, timestamp: 1.5 }),
      "bad_timestamp",
      /integer/,
    ],
    [
      "before 1970",
      JSON.stringify({ event_id: "e", model: "m", features: {}, timestamp: -1 }),
      "bad_timestamp",
      /1970/,
    ],
    [
      "object feature",
      JSON.stringify({ event_id: "e", model: "m", features: { geo: { lat: 1 } } }),
      "bad_feature",
      /^features\.geo: expected a number, string, boolean or null, got object/,
    ],
    [
      "array feature",
      JSON.stringify({ event_id: "e", model: "m", features: { tags: ["a"] } }),
      "bad_feature",
      /^features\.tags:.*array/,
    ],
    [
      "empty feature name",
      JSON.stringify({ event_id: "e", model: "m", features: { "": 1 } }),
      "bad_feature",
      /must not be empty/,
    ],
    [
      "long feature name",
      JSON.stringify({ event_id: "e", model: "m", features: { ["f".repeat(257)]: 1 } }),
      "bad_feature",
      /longer than 256/,
    ],
    [
      "infinite feature",
      '{"event_id":"e","model":"m","features":{"x":-1e999}}',
      "bad_feature",
      /^features\.x:.*finite/,
    ],
  ];

  it.each(invalid)("dead-letters %s", (_name, value, reason, detail) => {
    const verdict = validatePrediction(message(value), RULES, 0);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.reason).toBe(reason);
    expect(verdict.detail).toMatch(detail);
  });
});

describe("validateLabel", () => {
  it("makes a label row, numeric or text", () => {
    const verdict = validateLabel(
      message(
        JSON.stringify({ event_id: "e1", model: "m", label: 0, timestamp: "2026-11-23T08:00:05Z" }),
      ),
      RULES,
      5,
    );
    expect(verdict).toEqual({
      ok: true,
      row: {
        model: "m",
        event_id: "e1",
        label: "0",
        label_value: 0,
        ts: Date.UTC(2026, 10, 23, 8, 0, 5) / 1000,
        kafka_topic: "preds",
        kafka_partition: 2,
        kafka_offset: 41,
        ingested_at: 5,
      },
    });
    const text = validateLabel(
      message(JSON.stringify({ event_id: "e1", model: "m", label: "fraud" })),
      RULES,
      5,
    );
    expect(text.ok && [text.row.label, text.row.label_value]).toEqual(["fraud", null]);
  });

  it("requires the label", () => {
    const verdict = validateLabel(
      message(JSON.stringify({ event_id: "e1", model: "m" })),
      RULES,
      0,
    );
    expect(verdict).toEqual({ ok: false, reason: "missing_field", detail: "label: required" });
  });
});
