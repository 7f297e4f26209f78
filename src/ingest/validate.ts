// Validation of Kafka messages against the event contract (DESIGN.md): a prediction or label row
// for ClickHouse, or a dead-letter verdict with a reason code and a detail naming the field.
import { isUtf8 } from "node:buffer";
import { exceedsCodePoints, quotedText, storedText } from "../util/index.js";
import { splitFeatures, type ForcedFeatureKinds } from "./features.js";
import type { DeadLetterReason } from "./reasons.js";
import type { LabelRow, PredictionRow } from "./rows.js";
import { findLoneSurrogate, mayHoldLoneSurrogate } from "./text-check.js";
import { eventTimeMs, jsonType } from "./timestamp.js";

/** The parts of a consumed record validation looks at. */
export interface IncomingMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The Kafka record timestamp (epoch ms), the event time when the event carries none. */
  readonly timestampMs: number;
  readonly value: Buffer | null;
}

export interface ValidationRules {
  /** Larger payloads are dead-lettered as too_large. */
  readonly maxEventBytes: number;
  /** Feature kinds a model's config forces, if any. */
  readonly forcedKinds?: (model: string) => ForcedFeatureKinds | undefined;
}

export interface Invalid {
  readonly ok: false;
  readonly reason: DeadLetterReason;
  readonly detail: string;
}

export interface Valid<Row> {
  readonly ok: true;
  readonly row: Row;
}

export type Verdict<Row> = Valid<Row> | Invalid;

export const MODEL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
export const MAX_EVENT_ID_CHARS = 128;
export const MAX_MODEL_VERSION_CHARS = 128;

/** Longest detail kept (code points): details are stored and sent as DLQ headers. */
export const MAX_DETAIL_CHARS = 500;

function invalid(reason: DeadLetterReason, detail: string): Invalid {
  return { ok: false, reason, detail: storedText(detail, MAX_DETAIL_CHARS) };
}

function isInvalid(value: unknown): value is Invalid {
  return typeof value === "object" && value !== null && (value as Invalid).ok === false;
}

/** Size, encoding and JSON checks shared by both topics: the parsed object or a verdict. */
function parseObject(
  value: Buffer | null,
  rules: ValidationRules,
): Record<string, unknown> | Invalid {
  if (value === null || value.length === 0) return invalid("invalid_json", "empty payload");
  if (value.length > rules.maxEventBytes) {
    return invalid(
      "too_large",
      `payload is ${value.length} bytes, limit ingest.maxEventBytes is ${rules.maxEventBytes}`,
    );
  }
  if (!isUtf8(value)) return invalid("not_utf8", "payload is not valid UTF-8");
  const text = value.toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return invalid("invalid_json", storedText((error as Error).message, 200));
  }
  if (mayHoldLoneSurrogate(text)) {
    const problem = findLoneSurrogate(parsed);
    if (problem !== undefined) return invalid("invalid_text", problem);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return invalid("wrong_type", `event: expected a JSON object, got ${jsonType(parsed)}`);
  }
  return parsed as Record<string, unknown>;
}

function requiredString(event: Record<string, unknown>, field: string): string | Invalid {
  const value = event[field];
  if (value === undefined || value === null) return invalid("missing_field", `${field}: required`);
  if (typeof value !== "string") {
    return invalid("wrong_type", `${field}: expected a string, got ${jsonType(value)}`);
  }
  return value;
}

function eventIdOf(event: Record<string, unknown>): string | Invalid {
  const eventId = requiredString(event, "event_id");
  if (isInvalid(eventId)) return eventId;
  if (eventId === "" || exceedsCodePoints(eventId, MAX_EVENT_ID_CHARS)) {
    return invalid("bad_event_id", `event_id: must be 1 to ${MAX_EVENT_ID_CHARS} characters`);
  }
  return eventId;
}

function modelOf(event: Record<string, unknown>): string | Invalid {
  const model = requiredString(event, "model");
  if (isInvalid(model)) return model;
  if (!MODEL_NAME.test(model)) {
    return invalid(
      "bad_model_name",
      `model: ${quotedText(model, 64)} does not match ${MODEL_NAME.source}`,
    );
  }
  return model;
}

function modelVersionOf(event: Record<string, unknown>): string | Invalid {
  const value = event.model_version;
  if (value === undefined || value === null) return "unknown";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") {
    return invalid("wrong_type", `model_version: expected a string, got ${jsonType(value)}`);
  }
  if (value === "" || exceedsCodePoints(value, MAX_MODEL_VERSION_CHARS)) {
    return invalid(
      "bad_model_version",
      `model_version: must be 1 to ${MAX_MODEL_VERSION_CHARS} characters`,
    );
  }
  return value;
}

interface Outcome {
  readonly text: string | null;
  readonly value: number | null;
}

/** A prediction or label: a number (kept as text too) or a string; null when absent. */
function outcomeOf(event: Record<string, unknown>, field: string): Outcome | Invalid {
  const value = event[field];
  if (value === undefined || value === null) return { text: null, value: null };
  if (typeof value === "number") {
    // JSON.parse turns 1e400 into Infinity, which no numeric column can hold.
    if (!Number.isFinite(value)) return invalid("wrong_type", `${field}: number out of range`);
    return { text: String(value), value };
  }
  if (typeof value === "string") return { text: value, value: null };
  return invalid("wrong_type", `${field}: expected a number or a string, got ${jsonType(value)}`);
}

function eventTimeOf(event: Record<string, unknown>, fallbackMs: number): number | Invalid {
  const ms = eventTimeMs(event.timestamp, fallbackMs);
  return typeof ms === "string" ? invalid("bad_timestamp", `timestamp: ${ms}`) : ms;
}

/** Validate a message of the predictions topic. `ingestedAt` is epoch seconds. */
export function validatePrediction(
  message: IncomingMessage,
  rules: ValidationRules,
  ingestedAt: number,
): Verdict<PredictionRow> {
  const event = parseObject(message.value, rules);
  if (isInvalid(event)) return event;
  const eventId = eventIdOf(event);
  if (isInvalid(eventId)) return eventId;
  const model = modelOf(event);
  if (isInvalid(model)) return model;
  const features = event.features;
  if (features === undefined || features === null) {
    return invalid("missing_field", "features: required");
  }
  if (typeof features !== "object" || Array.isArray(features)) {
    return invalid("wrong_type", `features: expected an object, got ${jsonType(features)}`);
  }
  const modelVersion = modelVersionOf(event);
  if (isInvalid(modelVersion)) return modelVersion;
  const timeMs = eventTimeOf(event, message.timestampMs);
  if (isInvalid(timeMs)) return timeMs;
  const prediction = outcomeOf(event, "prediction");
  if (isInvalid(prediction)) return prediction;
  const label = outcomeOf(event, "label");
  if (isInvalid(label)) return label;
  const split = splitFeatures(features as Record<string, unknown>, rules.forcedKinds?.(model));
  if (typeof split === "string") return invalid("bad_feature", split);
  return {
    ok: true,
    row: {
      model,
      model_version: modelVersion,
      event_id: eventId,
      ts: Math.floor(timeMs / 1000),
      ts_ms: timeMs % 1000,
      ...split,
      prediction: prediction.text,
      prediction_value: prediction.value,
      label: label.text,
      label_value: label.value,
      kafka_topic: message.topic,
      kafka_partition: message.partition,
      kafka_offset: message.offset,
      ingested_at: ingestedAt,
    },
  };
}

/** Validate a message of the labels topic: `{event_id, model, label, timestamp?}`. */
export function validateLabel(
  message: IncomingMessage,
  rules: ValidationRules,
  ingestedAt: number,
): Verdict<LabelRow> {
  const event = parseObject(message.value, rules);
  if (isInvalid(event)) return event;
  const eventId = eventIdOf(event);
  if (isInvalid(eventId)) return eventId;
  const model = modelOf(event);
  if (isInvalid(model)) return model;
  if (event.label === undefined || event.label === null) {
    return invalid("missing_field", "label: required");
  }
  const label = outcomeOf(event, "label");
  if (isInvalid(label)) return label;
  const timeMs = eventTimeOf(event, message.timestampMs);
  if (isInvalid(timeMs)) return timeMs;
  return {
    ok: true,
    row: {
      model,
      event_id: eventId,
      label: label.text,
      label_value: label.value,
      ts: Math.floor(timeMs / 1000),
      kafka_topic: message.topic,
      kafka_partition: message.partition,
      kafka_offset: message.offset,
      ingested_at: ingestedAt,
    },
  };
}
