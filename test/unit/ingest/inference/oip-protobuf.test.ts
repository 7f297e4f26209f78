// Seldon's payloads as the Open Inference Protocol's gRPC definition encodes them
// (ModelInferRequest / ModelInferResponse, built here with protobufjs from the vendored .proto):
// typed contents and raw contents decode to the same tensors; truncated or foreign bytes are
// refused with invalid_protobuf; the embedded proto text defines what the vendored file does.
import { readFileSync } from "node:fs";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import {
  decodeProtobufPayload,
  MODEL_INFER_REQUEST,
  MODEL_INFER_RESPONSE,
} from "../../../../src/ingest/inference/oip-protobuf.js";
import { OPEN_INFERENCE_PROTO } from "../../../../src/ingest/inference/open-inference-proto.js";
import { inferRequest, inferResponse } from "./oip-messages.js";

describe("Open Inference Protocol Protobuf payloads", () => {
  it("embeds the vendored definition (same messages and fields)", () => {
    const embedded = protobuf.parse(OPEN_INFERENCE_PROTO, { keepCase: true }).root;
    const original = protobuf.parse(
      readFileSync(
        new URL("../../../../src/ingest/inference/open_inference_grpc.proto", import.meta.url),
        "utf8",
      ),
      { keepCase: true },
    ).root;
    expect(embedded.toJSON()).toEqual(original.toJSON());
    expect(MODEL_INFER_REQUEST.fullName).toBe(".inference.ModelInferRequest");
    expect(MODEL_INFER_RESPONSE.fullName).toBe(".inference.ModelInferResponse");
  });

  it("decodes typed contents of every kind", () => {
    const bytes = inferRequest({
      modelName: "iris",
      id: "req-1",
      inputs: [
        {
          name: "predict",
          datatype: "FP32",
          shape: [2, 2],
          contents: { fp32Contents: [1.5, 2, 3, 4] },
        },
        { name: "count", datatype: "INT64", shape: [2], contents: { int64Contents: [7, 9] } },
        { name: "flag", datatype: "BOOL", shape: [2], contents: { boolContents: [true, false] } },
        {
          name: "region",
          datatype: "BYTES",
          shape: [2],
          contents: { bytesContents: [Buffer.from("EU"), Buffer.from("Zürich")] },
        },
      ],
    });
    const result = decodeProtobufPayload(bytes, "request");
    expect(result).toEqual({
      ok: true,
      value: {
        protocol: "v2",
        id: "req-1",
        tensors: [
          { name: "predict", shape: [2, 2], data: [1.5, 2, 3, 4] },
          { name: "count", shape: [2], data: [7, 9] },
          { name: "flag", shape: [2], data: [true, false] },
          { name: "region", shape: [2], data: ["EU", "Zürich"] },
        ],
      },
    });
  });

  it("decodes raw output contents (little-endian, BYTES length-prefixed)", () => {
    const fp64 = Buffer.alloc(16);
    fp64.writeDoubleLE(0.25, 0);
    fp64.writeDoubleLE(0.75, 8);
    const text = Buffer.concat([
      Buffer.from([2, 0, 0, 0]),
      Buffer.from("no"),
      Buffer.from([3, 0, 0, 0]),
      Buffer.from("yes"),
    ]);
    const bytes = inferResponse({
      modelName: "iris",
      modelVersion: "2",
      outputs: [
        { name: "proba", datatype: "FP64", shape: [2, 1] },
        { name: "label", datatype: "BYTES", shape: [2] },
      ],
      rawOutputContents: [fp64, text],
    });
    expect(decodeProtobufPayload(bytes, "response")).toEqual({
      ok: true,
      value: {
        protocol: "v2",
        modelVersion: "2",
        tensors: [
          { name: "proba", shape: [2, 1], data: [0.25, 0.75] },
          { name: "label", shape: [2], data: ["no", "yes"] },
        ],
      },
    });
  });

  it("refuses truncated bytes, JSON, wrong counts and missing tensors", () => {
    const whole = inferRequest({
      inputs: [{ name: "x", datatype: "FP32", shape: [3], contents: { fp32Contents: [1, 2, 3] } }],
    });
    expect(decodeProtobufPayload(whole.subarray(0, whole.length - 3), "request")).toMatchObject({
      ok: false,
      reason: "invalid_protobuf",
    });
    expect(decodeProtobufPayload(Buffer.from('{"inputs": []}'), "request")).toMatchObject({
      ok: false,
      reason: "invalid_protobuf",
    });
    const short = inferRequest({
      inputs: [{ name: "x", datatype: "FP32", shape: [4], contents: { fp32Contents: [1, 2, 3] } }],
    });
    expect(decodeProtobufPayload(short, "request")).toMatchObject({ reason: "invalid_protobuf" });
    expect(decodeProtobufPayload(inferResponse({ modelName: "m" }), "response")).toMatchObject({
      reason: "invalid_protobuf",
    });
    const raw = inferRequest({
      inputs: [{ name: "x", datatype: "FP32", shape: [2] }],
      rawInputContents: [Buffer.alloc(7)],
    });
    expect(decodeProtobufPayload(raw, "request")).toMatchObject({ reason: "invalid_protobuf" });
  });
});
