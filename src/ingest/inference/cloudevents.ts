// The CloudEvents (binary content mode) attributes KServe's inference logger sends as `ce-*`
// headers: which inference (ce-id, shared by its request and response), which half (ce-type),
// which InferenceService, and when. Checked by the HTTP route before a half is produced, and
// again by the joiner for whatever reached the topic some other way.
import { exceedsCodePoints, quotedText } from "../../util/index.js";

export const CE_REQUEST_TYPE = "org.kubeflow.serving.inference.request";
export const CE_RESPONSE_TYPE = "org.kubeflow.serving.inference.response";

/** Longest ce-id taken: event ids of batched rows add "/<row>" within the contract's 128. */
export const MAX_CE_ID_CHARS = 100;

export type HalfSide = "request" | "response";

export interface CloudEventAttributes {
  readonly id: string;
  readonly side: HalfSide;
  readonly source: string;
  /** ce-inferenceservicename, when sent. */
  readonly inferenceService?: string;
  /** ce-time as epoch ms, when sent and valid. */
  readonly timeMs?: number;
}

/** Header values as Node and Kafka give them (lower-case names). */
export type HeaderLookup = (name: string) => string | undefined;

/** The CloudEvents headers worth keeping with a half (ce-*, content-type), lower-cased. */
export function cloudEventHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || (!lower.startsWith("ce-") && lower !== "content-type")) continue;
    kept[lower] = Array.isArray(value) ? value.join(",") : value;
  }
  return kept;
}

/** The attributes, or what is missing or wrong. */
export function parseCloudEvent(header: HeaderLookup): CloudEventAttributes | string {
  const specversion = header("ce-specversion");
  if (specversion !== "1.0") {
    return `ce-specversion: expected 1.0, got ${specversion === undefined ? "none" : quotedText(specversion, 20)}`;
  }
  const id = header("ce-id");
  if (id === undefined || id === "") return "ce-id: required";
  if (exceedsCodePoints(id, MAX_CE_ID_CHARS)) {
    return `ce-id: longer than ${MAX_CE_ID_CHARS} characters`;
  }
  const type = header("ce-type");
  const side =
    type === CE_REQUEST_TYPE ? "request" : type === CE_RESPONSE_TYPE ? "response" : undefined;
  if (side === undefined) {
    return `ce-type: expected ${CE_REQUEST_TYPE} or ${CE_RESPONSE_TYPE}, got ${type === undefined ? "none" : quotedText(type, 60)}`;
  }
  const source = header("ce-source");
  if (source === undefined || source === "") return "ce-source: required";
  const inferenceService = header("ce-inferenceservicename");
  const time = header("ce-time");
  const timeMs = time === undefined ? undefined : Date.parse(time);
  return {
    id,
    side,
    source,
    ...(inferenceService !== undefined && inferenceService !== "" ? { inferenceService } : {}),
    ...(timeMs !== undefined && Number.isFinite(timeMs) ? { timeMs } : {}),
  };
}
