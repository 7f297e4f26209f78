// Seldon Core v2's Kafka payloads decoded: ModelInferRequest (`.inputs` topics) and
// ModelInferResponse (`.outputs` topics) of the Open Inference Protocol, parsed with protobufjs
// from the protocol's published definition (open-inference-proto.ts), into named tensors. Tensor
// values come from `contents` or, when the sender used them, `raw_input_contents` /
// `raw_output_contents` (little-endian, BYTES as 4-byte length + bytes).
import protobuf from "protobufjs";
import { quotedText } from "../../util/index.js";
import { OPEN_INFERENCE_PROTO } from "./open-inference-proto.js";
import {
  failure,
  type Decoded,
  type InferencePayload,
  type Tensor,
  type TensorValue,
} from "./tensors.js";

const root = protobuf.parse(OPEN_INFERENCE_PROTO, { keepCase: true }).root;
export const MODEL_INFER_REQUEST = root.lookupType("inference.ModelInferRequest");
export const MODEL_INFER_RESPONSE = root.lookupType("inference.ModelInferResponse");

interface WireTensor {
  name?: string;
  datatype?: string;
  shape?: number[];
  contents?: Record<string, unknown[] | undefined>;
}

interface WireMessage {
  model_name?: string;
  model_version?: string;
  id?: string;
  inputs?: WireTensor[];
  outputs?: WireTensor[];
  raw_input_contents?: Uint8Array[];
  raw_output_contents?: Uint8Array[];
}

/** The `contents` field holding each datatype's values. */
const CONTENTS_FIELD: Readonly<Record<string, string>> = {
  BOOL: "bool_contents",
  INT8: "int_contents",
  INT16: "int_contents",
  INT32: "int_contents",
  INT64: "int64_contents",
  UINT8: "uint_contents",
  UINT16: "uint_contents",
  UINT32: "uint_contents",
  UINT64: "uint64_contents",
  FP32: "fp32_contents",
  FP64: "fp64_contents",
  BYTES: "bytes_contents",
};

/** Bytes per element in raw contents, and how to read one. */
const RAW_READERS: Readonly<Record<string, [number, (view: DataView, at: number) => number]>> = {
  BOOL: [1, (view, at) => view.getUint8(at)],
  INT8: [1, (view, at) => view.getInt8(at)],
  INT16: [2, (view, at) => view.getInt16(at, true)],
  INT32: [4, (view, at) => view.getInt32(at, true)],
  INT64: [8, (view, at) => Number(view.getBigInt64(at, true))],
  UINT8: [1, (view, at) => view.getUint8(at)],
  UINT16: [2, (view, at) => view.getUint16(at, true)],
  UINT32: [4, (view, at) => view.getUint32(at, true)],
  UINT64: [8, (view, at) => Number(view.getBigUint64(at, true))],
  FP32: [4, (view, at) => view.getFloat32(at, true)],
  FP64: [8, (view, at) => view.getFloat64(at, true)],
};

function bytesText(value: unknown): string {
  return Buffer.from(value as Uint8Array).toString("utf8");
}

function rawValues(raw: Uint8Array, datatype: string, label: string): Decoded<TensorValue[]> {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const values: TensorValue[] = [];
  if (datatype === "BYTES") {
    for (let at = 0; at < raw.byteLength;) {
      if (at + 4 > raw.byteLength) return failure("invalid_protobuf", `${label}: truncated BYTES`);
      const length = view.getUint32(at, true);
      if (at + 4 + length > raw.byteLength) {
        return failure("invalid_protobuf", `${label}: truncated BYTES`);
      }
      values.push(Buffer.from(raw.subarray(at + 4, at + 4 + length)).toString("utf8"));
      at += 4 + length;
    }
    return { ok: true, value: values };
  }
  const reader = RAW_READERS[datatype];
  if (reader === undefined) {
    return failure(
      "invalid_protobuf",
      `${label}: raw contents of datatype ${datatype} not supported`,
    );
  }
  const [size, read] = reader;
  if (raw.byteLength % size !== 0) {
    return failure("invalid_protobuf", `${label}: ${raw.byteLength} raw bytes for ${datatype}`);
  }
  for (let at = 0; at < raw.byteLength; at += size) {
    const value = read(view, at);
    values.push(datatype === "BOOL" ? value !== 0 : value);
  }
  return { ok: true, value: values };
}

function tensorOf(wire: WireTensor, raw: Uint8Array | undefined, where: string): Decoded<Tensor> {
  const name = wire.name ?? "";
  if (name === "") return failure("invalid_protobuf", `${where}: a tensor without a name`);
  const label = `${where} (${quotedText(name, 40)})`;
  const datatype = wire.datatype ?? "";
  const shape = (wire.shape ?? []).map(Number);
  if (!shape.every((size) => Number.isSafeInteger(size) && size >= 0)) {
    return failure("invalid_protobuf", `${label}: invalid shape`);
  }
  let data: TensorValue[];
  if (raw !== undefined) {
    const decoded = rawValues(raw, datatype, label);
    if (!decoded.ok) return decoded;
    data = decoded.value;
  } else {
    const field = CONTENTS_FIELD[datatype];
    if (field === undefined) {
      return failure("invalid_protobuf", `${label}: unknown datatype ${quotedText(datatype, 20)}`);
    }
    const values = wire.contents?.[field] ?? [];
    data = values.map((value) =>
      datatype === "BYTES" ? bytesText(value) : typeof value === "boolean" ? value : Number(value),
    );
  }
  const expected = shape.reduce((product, size) => product * size, 1);
  if (data.length !== expected) {
    return failure(
      "invalid_protobuf",
      `${label}: ${data.length} values for shape [${shape.join(", ")}] (${expected} expected)`,
    );
  }
  return { ok: true, value: { name, shape, data } };
}

/** Decode a Seldon `.inputs` (request) or `.outputs` (response) payload. */
export function decodeProtobufPayload(
  bytes: Buffer,
  side: "request" | "response",
): Decoded<InferencePayload> {
  const type = side === "request" ? MODEL_INFER_REQUEST : MODEL_INFER_RESPONSE;
  let message: WireMessage;
  try {
    message = type.toObject(type.decode(bytes), { longs: Number, arrays: true }) as WireMessage;
  } catch (error) {
    return failure("invalid_protobuf", `${side}: ${(error as Error).message}`);
  }
  const wireTensors = (side === "request" ? message.inputs : message.outputs) ?? [];
  const raws =
    (side === "request" ? message.raw_input_contents : message.raw_output_contents) ?? [];
  if (wireTensors.length === 0) {
    return failure("invalid_protobuf", `${side}: no ${side === "request" ? "inputs" : "outputs"}`);
  }
  if (raws.length > 0 && raws.length !== wireTensors.length) {
    return failure(
      "invalid_protobuf",
      `${side}: ${raws.length} raw contents for ${wireTensors.length} tensors`,
    );
  }
  const tensors: Tensor[] = [];
  for (let index = 0; index < wireTensors.length; index++) {
    const tensor = tensorOf(
      wireTensors[index]!,
      raws.length > 0 ? raws[index] : undefined,
      `${side}.${side === "request" ? "inputs" : "outputs"}[${index}]`,
    );
    if (!tensor.ok) return tensor;
    tensors.push(tensor.value);
  }
  return {
    ok: true,
    value: {
      protocol: "v2",
      tensors,
      ...(message.id ? { id: message.id } : {}),
      ...(message.model_version ? { modelVersion: message.model_version } : {}),
    },
  };
}
