// A joined request and response becomes driftwatch events, one per row: features from the input
// tensors (named by the model's mapping, else by tensor and column names), the prediction from
// the chosen output, event_id = the pair id (a batch: pair id + "/" + row index), the model and
// version from the mapping, headers or the V2 response.
import type { KserveConfig } from "../../config/index.js";
import { quotedText } from "../../util/index.js";
import {
  failure,
  rowsOf,
  type Decoded,
  type InferencePayload,
  type Tensor,
  type TensorValue,
} from "./tensors.js";

/** One model's mapping (the same shape in the kserve and seldon sections). */
export type InferenceMapping = NonNullable<KserveConfig>["models"][number];

/** An event of the DESIGN contract, ready to be serialized. */
export interface InferenceEvent {
  readonly event_id: string;
  readonly model: string;
  readonly model_version: string;
  readonly timestamp: number;
  readonly features: Record<string, TensorValue>;
  readonly prediction?: number | string;
}

export interface PairContext {
  /** ce-id or Seldon's request id. */
  readonly pairId: string;
  /** InferenceService or Seldon model name. */
  readonly servedName: string;
  readonly mapping: InferenceMapping | undefined;
  /** Header lookup (lower-case names) of the request half, then the response half. */
  readonly header: (name: string) => string | undefined;
  /** Event time, epoch ms. */
  readonly timestampMs: number;
}

/** Column names of one input tensor. */
function columnNames(tensor: Tensor, width: number, mapping: InferenceMapping | undefined) {
  const mapped = mapping?.inputs[tensor.name];
  if (mapped !== undefined) {
    if (mapped.length !== width) {
      return failure(
        "invalid_inference",
        `input ${quotedText(tensor.name, 40)} has ${width} values per row; its mapping names ${mapped.length}`,
      );
    }
    return { ok: true as const, value: mapped };
  }
  return {
    ok: true as const,
    value:
      width === 1
        ? [tensor.name]
        : Array.from({ length: width }, (_, column) => `${tensor.name}_${column}`),
  };
}

function predictionColumn(
  response: InferencePayload,
  mapping: InferenceMapping | undefined,
): Decoded<{ tensor: Tensor; column: number }> {
  const wanted = mapping?.prediction?.output;
  const tensor =
    wanted === undefined
      ? response.tensors[0]
      : response.tensors.find((candidate) => candidate.name === wanted);
  if (tensor === undefined) {
    return failure(
      "invalid_inference",
      `response has no output ${quotedText(wanted ?? "", 40)} (has ${response.tensors.map((t) => quotedText(t.name, 40)).join(", ")})`,
    );
  }
  const { width } = rowsOf(tensor);
  const index = mapping?.prediction?.index;
  if (index === undefined && width !== 1) {
    return failure(
      "invalid_inference",
      `output ${quotedText(tensor.name, 40)} has ${width} values per row: set prediction.index in the model's mapping`,
    );
  }
  if (index !== undefined && index >= width) {
    return failure(
      "invalid_inference",
      `prediction.index ${index} is beyond output ${quotedText(tensor.name, 40)}'s ${width} values per row`,
    );
  }
  return { ok: true, value: { tensor, column: index ?? 0 } };
}

function predictionValue(value: TensorValue | undefined): number | string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "boolean") return value ? "true" : "false";
  return value;
}

/** The events of one joined pair, or why it cannot be mapped. */
export function mapPair(
  request: InferencePayload,
  response: InferencePayload,
  context: PairContext,
): Decoded<InferenceEvent[]> {
  const { mapping } = context;
  if (request.id !== undefined && response.id !== undefined && request.id !== response.id) {
    return failure(
      "pair_mismatch",
      `request id ${quotedText(request.id, 60)} but response id ${quotedText(response.id, 60)}`,
    );
  }
  const rows = rowsOf(request.tensors[0]!).rows;
  const inputs: { tensor: Tensor; width: number; names: readonly string[] }[] = [];
  for (const tensor of request.tensors) {
    const shape = rowsOf(tensor);
    if (shape.rows !== rows) {
      return failure(
        "invalid_inference",
        `input ${quotedText(tensor.name, 40)} has ${shape.rows} rows, input ${quotedText(request.tensors[0]!.name, 40)} ${rows}`,
      );
    }
    const names = columnNames(tensor, shape.width, mapping);
    if (!names.ok) return names;
    inputs.push({ tensor, width: shape.width, names: names.value });
  }
  const prediction = predictionColumn(response, mapping);
  if (!prediction.ok) return prediction;
  const output = prediction.value.tensor;
  const outputShape = rowsOf(output);
  if (outputShape.rows !== rows) {
    return failure(
      "pair_mismatch",
      `the request has ${rows} rows, the response's ${quotedText(output.name, 40)} ${outputShape.rows}`,
    );
  }
  const version =
    mapping?.version ??
    (mapping?.versionHeader !== undefined
      ? context.header(mapping.versionHeader.toLowerCase())
      : undefined) ??
    response.modelVersion ??
    "unknown";
  const model = mapping?.model ?? context.servedName;
  const events: InferenceEvent[] = [];
  for (let row = 0; row < rows; row++) {
    // No prototype: a feature may be named __proto__.
    const features = Object.create(null) as Record<string, TensorValue>;
    for (const { tensor, width, names } of inputs) {
      for (let column = 0; column < width; column++) {
        features[names[column]!] = tensor.data[row * width + column] ?? null;
      }
    }
    const value = predictionValue(output.data[row * outputShape.width + prediction.value.column]);
    events.push({
      event_id: rows === 1 ? context.pairId : `${context.pairId}/${row}`,
      model,
      model_version: version,
      timestamp: context.timestampMs,
      features,
      ...(value !== undefined ? { prediction: value } : {}),
    });
  }
  return { ok: true, value: events };
}
