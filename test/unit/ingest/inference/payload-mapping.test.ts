// KServe's V1 and Open Inference Protocol V2 JSON bodies (the shapes of KServe's V1/V2 docs and
// the protocol's REST definition) decoded into tensors and mapped to driftwatch events: feature
// names from the mapping or the tensors, the prediction output and column, batched rows'
// event ids, mismatched and malformed pairs; names and ids with nasty strings survive as data.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapPair, type InferenceMapping } from "../../../../src/ingest/inference/row-mapping.js";
import {
  decodeJsonPayload,
  type InferencePayload,
} from "../../../../src/ingest/inference/tensors.js";

function decoded(body: unknown, side: "request" | "response"): InferencePayload {
  const result = decodeJsonPayload(Buffer.from(JSON.stringify(body)), side);
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

function mapping(overrides: Partial<InferenceMapping> = {}): InferenceMapping {
  return { name: "sklearn-iris", inputs: {}, ...overrides };
}

const context = (map?: InferenceMapping) => ({
  pairId: "689b15e7-84a1-4e89-9805-20809efc216d",
  servedName: "sklearn-iris",
  mapping: map,
  header: (name: string) => (name === "ce-endpoint" ? "canary" : undefined),
  timestampMs: Date.UTC(2026, 10, 23, 8),
});

describe("V1 bodies", () => {
  const request = decoded(
    {
      instances: [
        [6.8, 2.8, 4.8, 1.4],
        [6.0, 3.4, 4.5, 1.6],
      ],
    },
    "request",
  );
  const response = decoded({ predictions: [1, 2] }, "response");

  it("maps positional instances to the mapping's names, one event per row", () => {
    const map = mapping({
      model: "iris",
      versionHeader: "ce-endpoint",
      inputs: { instances: ["sepal_length", "sepal_width", "petal_length", "petal_width"] },
    });
    const result = mapPair(request, response, context(map));
    expect(result).toEqual({
      ok: true,
      value: [
        {
          event_id: "689b15e7-84a1-4e89-9805-20809efc216d/0",
          model: "iris",
          model_version: "canary",
          timestamp: Date.UTC(2026, 10, 23, 8),
          features: { sepal_length: 6.8, sepal_width: 2.8, petal_length: 4.8, petal_width: 1.4 },
          prediction: 1,
        },
        expect.objectContaining({
          event_id: "689b15e7-84a1-4e89-9805-20809efc216d/1",
          prediction: 2,
        }),
      ],
    });
  });

  it("names unmapped columns by tensor and index; a single row keeps the pair id", () => {
    const one = decoded({ instances: [[1, "EU"]] }, "request");
    const result = mapPair(one, decoded({ predictions: [0.3] }, "response"), context());
    expect(result).toMatchObject({
      ok: true,
      value: [
        {
          event_id: "689b15e7-84a1-4e89-9805-20809efc216d",
          model: "sklearn-iris",
          model_version: "unknown",
          features: { instances_0: 1, instances_1: "EU" },
          prediction: 0.3,
        },
      ],
    });
  });

  it("takes object instances as named columns and a chosen column of vector predictions", () => {
    const objects = decoded(
      {
        instances: [
          { age: 42, region: "EU" },
          { age: 30, employed: true },
        ],
      },
      "request",
    );
    const probabilities = decoded(
      {
        predictions: [
          [0.1, 0.9],
          [0.8, 0.2],
        ],
      },
      "response",
    );
    const result = mapPair(objects, probabilities, context(mapping({ prediction: { index: 1 } })));
    expect(result.ok && result.value.map((event) => [event.features, event.prediction])).toEqual([
      [{ age: 42, region: "EU", employed: null }, 0.9],
      [{ age: 30, region: null, employed: true }, 0.2],
    ]);
    expect(mapPair(objects, probabilities, context())).toMatchObject({
      ok: false,
      reason: "invalid_inference",
    });
  });

  it("dead-letters mismatched row counts, wrong mapping widths and non-tabular rows", () => {
    expect(mapPair(request, decoded({ predictions: [1] }, "response"), context())).toMatchObject({
      ok: false,
      reason: "pair_mismatch",
    });
    expect(
      mapPair(request, response, context(mapping({ inputs: { instances: ["a", "b"] } }))),
    ).toMatchObject({ ok: false, reason: "invalid_inference" });
    expect(decodeJsonPayload(Buffer.from('{"instances": [[[1, 2]]]}'), "request")).toMatchObject({
      ok: false,
      reason: "invalid_inference",
    });
  });

  it("refuses truncated, empty and foreign bodies with a reason", () => {
    const truncated = Buffer.from(JSON.stringify({ instances: [[1, 2]] }).slice(0, 12));
    expect(decodeJsonPayload(truncated, "request")).toMatchObject({
      ok: false,
      reason: "invalid_json",
    });
    expect(decodeJsonPayload(Buffer.alloc(0), "response")).toMatchObject({
      reason: "invalid_json",
    });
    expect(decodeJsonPayload(Buffer.from([0xff, 0xfe]), "request")).toMatchObject({
      reason: "not_utf8",
    });
    expect(decodeJsonPayload(Buffer.from('{"data": 1}'), "request")).toMatchObject({
      reason: "invalid_inference",
    });
  });
});

describe("V2 bodies", () => {
  const request = decoded(
    {
      id: "42",
      inputs: [
        {
          name: "input-0",
          shape: [2, 4],
          datatype: "FP32",
          data: [6.8, 2.8, 4.8, 1.4, 6.0, 3.4, 4.5, 1.6],
        },
        { name: "region", shape: [2], datatype: "BYTES", data: ["EU", "US"] },
      ],
    },
    "request",
  );
  const response = decoded(
    {
      model_name: "sklearn-iris",
      model_version: "v3",
      id: "42",
      outputs: [
        {
          name: "probabilities",
          shape: [2, 2],
          datatype: "FP32",
          data: [
            [0.1, 0.9],
            [0.7, 0.3],
          ],
        },
        { name: "predict", shape: [2, 1], datatype: "INT64", data: [1, 0] },
      ],
    },
    "response",
  );

  it("maps input tensors and the chosen output; the version from the response", () => {
    const map = mapping({
      inputs: { "input-0": ["a", "b", "c", "d"] },
      prediction: { output: "predict" },
    });
    const result = mapPair(request, response, context(map));
    expect(result).toMatchObject({
      ok: true,
      value: [
        {
          model_version: "v3",
          features: { a: 6.8, b: 2.8, c: 4.8, d: 1.4, region: "EU" },
          prediction: 1,
        },
        { features: { a: 6, region: "US" }, prediction: 0 },
      ],
    });
  });

  it("dead-letters shape/data disagreements and request/response id mismatches", () => {
    const bad = Buffer.from(
      JSON.stringify({ inputs: [{ name: "x", shape: [2, 2], datatype: "FP32", data: [1, 2, 3] }] }),
    );
    expect(decodeJsonPayload(bad, "request")).toMatchObject({ reason: "invalid_inference" });
    const other = decoded(
      { id: "43", outputs: [{ name: "p", shape: [2], datatype: "FP32", data: [1, 2] }] },
      "response",
    );
    expect(mapPair(request, other, context())).toMatchObject({
      ok: false,
      reason: "pair_mismatch",
    });
  });
});

describe("hostile names and ids", () => {
  const nasty = fc.oneof(
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
    fc.constantFrom(
      "__proto__",
      "constructor",
      "toString",
      "a.b",
      "",
      "\u0000",
      "’; DROP TABLE x;--",
      "\ud83d\ude00",
    ),
  );

  it("keeps feature names and values as data (no prototype pollution, no loss)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          nasty.filter((name) => name !== ""),
          { minLength: 1, maxLength: 6 },
        ),
        fc.string(),
        (names, value) => {
          const row = Object.fromEntries(names.map((name) => [name, value]));
          const request = decoded({ instances: [row] }, "request");
          const result = mapPair(request, decoded({ predictions: [value] }, "response"), context());
          if (!result.ok) return false;
          const [event] = result.value;
          const features = JSON.parse(JSON.stringify(event!.features)) as Record<string, unknown>;
          return (
            Object.keys(features).length === names.length &&
            names.every((name) => Object.hasOwn(features, name) && features[name] === value) &&
            ({} as Record<string, unknown>).polluted === undefined
          );
        },
      ),
      { seed: 16, numRuns: 200 },
    );
  });

  it("derives event ids from any pair id", () => {
    fc.assert(
      fc.property(nasty, fc.integer({ min: 1, max: 5 }), (pairId, rows) => {
        const request = decoded(
          { instances: Array.from({ length: rows }, (_, i) => [i]) },
          "request",
        );
        const response = decoded(
          { predictions: Array.from({ length: rows }, () => 0) },
          "response",
        );
        const result = mapPair(request, response, { ...context(), pairId });
        if (!result.ok) return false;
        return result.value.every(
          (event, row) => event.event_id === (rows === 1 ? pairId : `${pairId}/${row}`),
        );
      }),
      { seed: 16, numRuns: 200 },
    );
  });
});
