// Inference payloads as named tensors: the V1 (`instances` / `predictions`) and Open Inference
// Protocol V2 (`inputs` / `outputs`) JSON bodies KServe's logger sends are decoded here into one
// shape, the one Seldon's Protobuf payloads are decoded to as well (oip-protobuf.ts).
import { isUtf8 } from "node:buffer";
import { quotedText, storedText } from "../../util/index.js";
import type { DeadLetterReason } from "../reasons.js";

/** One value of a tensor: numbers, strings (BYTES), booleans; null where a V1 row lacks a key. */
export type TensorValue = number | string | boolean | null;

export interface Tensor {
  readonly name: string;
  /** Dimensions, the first one the rows (batch); [] for a scalar. */
  readonly shape: readonly number[];
  /** The values in row-major order (product of the shape). */
  readonly data: readonly TensorValue[];
}

/** A request or a response, decoded. */
export interface InferencePayload {
  readonly protocol: "v1" | "v2";
  readonly tensors: readonly Tensor[];
  /** V2: the payload's `id`. */
  readonly id?: string;
  /** V2 responses: `model_version`. */
  readonly modelVersion?: string;
}

export interface DecodeFailure {
  readonly ok: false;
  readonly reason: DeadLetterReason;
  readonly detail: string;
}

export type Decoded<Value> = { readonly ok: true; readonly value: Value } | DecodeFailure;

export function failure(reason: DeadLetterReason, detail: string): DecodeFailure {
  return { ok: false, reason, detail: storedText(detail, 400) };
}

/** Rows of a tensor (1 for a scalar) and values per row. */
export function rowsOf(tensor: Tensor): { rows: number; width: number } {
  if (tensor.shape.length === 0) return { rows: 1, width: 1 };
  const rows = tensor.shape[0]!;
  const width = tensor.shape.slice(1).reduce((product, size) => product * size, 1);
  return { rows, width };
}

function isScalar(value: unknown): value is number | string | boolean {
  return typeof value === "number" || typeof value === "string" || typeof value === "boolean";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * V1 rows (`instances` or `predictions`) as tensors: rows of scalars → one tensor [N]; rows of
 * lists of scalars → one tensor [N, k]; rows of objects → one tensor [N] per key.
 */
function v1Tensors(rows: unknown[], field: string): Decoded<Tensor[]> {
  const count = rows.length;
  if (rows.every(isScalar))
    return { ok: true, value: [{ name: field, shape: [count], data: rows }] };
  if (rows.every(isPlainObject)) {
    const columns = new Map<string, TensorValue[]>();
    for (let row = 0; row < count; row++) {
      for (const [key, value] of Object.entries(rows[row]!)) {
        if (value !== null && !isScalar(value)) {
          return failure(
            "invalid_inference",
            `${field}[${row}].${quotedText(key, 40)}: a nested value; only scalars map to features`,
          );
        }
        let column = columns.get(key);
        if (column === undefined) {
          column = new Array<TensorValue>(count).fill(null);
          columns.set(key, column);
        }
        column[row] = value;
      }
    }
    return {
      ok: true,
      value: [...columns].map(([name, data]) => ({ name, shape: [count], data })),
    };
  }
  if (rows.every(Array.isArray)) {
    const width = (rows[0] as unknown[]).length;
    const data: TensorValue[] = [];
    for (let row = 0; row < count; row++) {
      const values = rows[row] as unknown[];
      if (values.length !== width) {
        return failure(
          "invalid_inference",
          `${field}[${row}]: ${values.length} values where row 0 has ${width}`,
        );
      }
      for (const value of values) {
        if (!isScalar(value)) {
          return failure(
            "invalid_inference",
            `${field}[${row}]: nested deeper than rows of scalars (not tabular data)`,
          );
        }
        data.push(value);
      }
    }
    return { ok: true, value: [{ name: field, shape: [count, width], data }] };
  }
  return failure("invalid_inference", `${field}: rows must all be scalars, lists or objects`);
}

/** Flatten V2 `data` (flat or nested in the shape) into row-major values. */
function flatten(data: unknown, into: TensorValue[]): boolean {
  if (Array.isArray(data)) return data.every((item) => flatten(item, into));
  if (!isScalar(data)) return false;
  into.push(data);
  return true;
}

function v2Tensor(raw: unknown, where: string): Decoded<Tensor> {
  if (!isPlainObject(raw)) return failure("invalid_inference", `${where}: expected an object`);
  const { name, shape, data, datatype } = raw;
  if (typeof name !== "string" || name === "") {
    return failure("invalid_inference", `${where}.name: expected a non-empty string`);
  }
  const label = `${where} (${quotedText(name, 40)})`;
  if (typeof datatype !== "string") {
    return failure("invalid_inference", `${label}.datatype: expected a string`);
  }
  if (
    !Array.isArray(shape) ||
    !shape.every((size) => Number.isSafeInteger(size) && (size as number) >= 0)
  ) {
    return failure("invalid_inference", `${label}.shape: expected a list of sizes`);
  }
  const values: TensorValue[] = [];
  if (!flatten(data, values)) {
    return failure("invalid_inference", `${label}.data: expected (nested) lists of scalars`);
  }
  const expected = (shape as number[]).reduce((product, size) => product * size, 1);
  if (values.length !== expected) {
    return failure(
      "invalid_inference",
      `${label}: ${values.length} values for shape [${shape.join(", ")}] (${expected} expected)`,
    );
  }
  return { ok: true, value: { name, shape: shape as number[], data: values } };
}

function optionalText(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Decode a request or response body (JSON, V1 or V2). */
export function decodeJsonPayload(
  body: Buffer,
  side: "request" | "response",
): Decoded<InferencePayload> {
  if (body.length === 0) return failure("invalid_json", `${side}: empty body`);
  if (!isUtf8(body)) return failure("not_utf8", `${side}: body is not valid UTF-8`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (error) {
    return failure("invalid_json", `${side}: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) {
    return failure("invalid_inference", `${side}: expected a JSON object`);
  }
  const v1Field = side === "request" ? "instances" : "predictions";
  const v2Field = side === "request" ? "inputs" : "outputs";
  const v1Rows = parsed[v1Field];
  if (Array.isArray(v1Rows)) {
    if (v1Rows.length === 0) return failure("invalid_inference", `${side}.${v1Field}: no rows`);
    const tensors = v1Tensors(v1Rows, v1Field);
    return tensors.ok ? { ok: true, value: { protocol: "v1", tensors: tensors.value } } : tensors;
  }
  const v2List = parsed[v2Field];
  if (!Array.isArray(v2List) || v2List.length === 0) {
    return failure(
      "invalid_inference",
      `${side}: neither V1 \`${v1Field}\` nor V2 \`${v2Field}\` (a non-empty list)`,
    );
  }
  const tensors: Tensor[] = [];
  for (let index = 0; index < v2List.length; index++) {
    const tensor = v2Tensor(v2List[index], `${side}.${v2Field}[${index}]`);
    if (!tensor.ok) return tensor;
    tensors.push(tensor.value);
  }
  return {
    ok: true,
    value: {
      protocol: "v2",
      tensors,
      id: optionalText(parsed.id),
      modelVersion: optionalText(parsed.model_version),
    },
  };
}
