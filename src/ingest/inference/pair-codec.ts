// How the halves on a join topic are read: which pair and side a record is (`identify`), and the
// events a joined pair becomes (`events`). One codec per integration: KServe's CloudEvents (JSON
// V1/V2 bodies, ce-* headers) and Seldon's forwarded Protobuf halves (dw-* headers).
import type { HeaderValue, KafkaRecord } from "../../kafka/index.js";
import { quotedText } from "../../util/index.js";
import { parseCloudEvent, type HalfSide } from "./cloudevents.js";
import { decodeProtobufPayload } from "./oip-protobuf.js";
import { mapPair, type InferenceEvent, type InferenceMapping } from "./row-mapping.js";
import {
  decodeJsonPayload,
  failure,
  type Decoded,
  type DecodeFailure,
  type InferencePayload,
} from "./tensors.js";

export type InferenceSource = "kserve" | "seldon";

export interface HalfIdentity {
  readonly pairId: string;
  readonly side: HalfSide;
}

export interface PairCodec {
  readonly source: InferenceSource;
  identify(record: KafkaRecord): HalfIdentity | DecodeFailure;
  events(request: KafkaRecord, response: KafkaRecord): Decoded<InferenceEvent[]>;
}

/** Headers the Seldon forwarder puts on each half it forwards. */
export const SELDON_HEADERS = {
  side: "dw-side",
  model: "dw-model",
  requestId: "dw-request-id",
  origin: "dw-origin",
  timestamp: "dw-timestamp",
} as const;

export function headerText(record: KafkaRecord, name: string): string | undefined {
  const value: HeaderValue | undefined = record.headers[name];
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : value.toString("utf8");
}

function mappingsByName(mappings: readonly InferenceMapping[]): Map<string, InferenceMapping> {
  return new Map(mappings.map((mapping) => [mapping.name, mapping]));
}

/** Header of the request half, else of the response half. */
function pairHeader(request: KafkaRecord, response: KafkaRecord) {
  return (name: string) => headerText(request, name) ?? headerText(response, name);
}

function decodeBoth(
  request: KafkaRecord,
  response: KafkaRecord,
  decode: (body: Buffer, side: HalfSide) => Decoded<InferencePayload>,
): Decoded<[InferencePayload, InferencePayload]> {
  const decodedRequest = decode(request.value ?? Buffer.alloc(0), "request");
  if (!decodedRequest.ok) return decodedRequest;
  const decodedResponse = decode(response.value ?? Buffer.alloc(0), "response");
  if (!decodedResponse.ok) return decodedResponse;
  return { ok: true, value: [decodedRequest.value, decodedResponse.value] };
}

export function kserveCodec(mappings: readonly InferenceMapping[]): PairCodec {
  const byName = mappingsByName(mappings);
  return {
    source: "kserve",
    identify(record) {
      const attributes = parseCloudEvent((name) => headerText(record, name));
      if (typeof attributes === "string") return failure("invalid_cloudevent", attributes);
      return { pairId: attributes.id, side: attributes.side };
    },
    events(request, response) {
      const header = pairHeader(request, response);
      const servedName = header("ce-inferenceservicename");
      if (servedName === undefined || servedName === "") {
        return failure("invalid_cloudevent", "ce-inferenceservicename: required (names the model)");
      }
      const payloads = decodeBoth(request, response, decodeJsonPayload);
      if (!payloads.ok) return payloads;
      const time = headerText(request, "ce-time");
      const timeMs = time === undefined ? Number.NaN : Date.parse(time);
      return mapPair(payloads.value[0], payloads.value[1], {
        pairId: headerText(request, "ce-id") ?? "",
        servedName,
        mapping: byName.get(servedName),
        header,
        timestampMs: Number.isFinite(timeMs) ? timeMs : request.timestampMs,
      });
    },
  };
}

export function seldonCodec(mappings: readonly InferenceMapping[]): PairCodec {
  const byName = mappingsByName(mappings);
  return {
    source: "seldon",
    identify(record) {
      const pairId = headerText(record, SELDON_HEADERS.requestId) ?? "";
      const side = headerText(record, SELDON_HEADERS.side);
      if (pairId === "") {
        return failure("unjoinable", "the Seldon message carries no request id (header or key)");
      }
      if (pairId.length > 100)
        return failure("unjoinable", "request id longer than 100 characters");
      if (side !== "request" && side !== "response") {
        return failure(
          "invalid_inference",
          `${SELDON_HEADERS.side}: ${quotedText(side ?? "", 20)}`,
        );
      }
      return { pairId, side };
    },
    events(request, response) {
      const servedName = headerText(request, SELDON_HEADERS.model) ?? "";
      const payloads = decodeBoth(request, response, decodeProtobufPayload);
      if (!payloads.ok) return payloads;
      const timestamp = Number(headerText(request, SELDON_HEADERS.timestamp));
      return mapPair(payloads.value[0], payloads.value[1], {
        pairId: headerText(request, SELDON_HEADERS.requestId) ?? "",
        servedName,
        mapping: byName.get(servedName),
        header: pairHeader(request, response),
        timestampMs: Number.isFinite(timestamp) && timestamp > 0 ? timestamp : request.timestampMs,
      });
    },
  };
}
