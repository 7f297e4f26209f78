// The reason codes a message is dead-lettered with (stored in dead_letters.reason and sent as the
// `reason` header on the DLQ topic), each with the one-line explanation `dlq list` prints.

export const DEAD_LETTER_REASONS = {
  too_large: "payload larger than ingest.maxEventBytes",
  not_utf8: "payload is not valid UTF-8",
  invalid_text: "a text holds a lone UTF-16 surrogate (a \\uD800–\\uDFFF escape without its pair)",
  invalid_json: "payload is empty or not parseable JSON",
  missing_field: "a required field is absent or null",
  wrong_type: "a field has the wrong JSON type",
  bad_event_id: "event_id is empty or longer than 128 characters",
  bad_model_name: "model does not match [A-Za-z0-9_.-]{1,64}",
  bad_model_version: "model_version is empty or longer than 128 characters",
  bad_timestamp: "timestamp is neither RFC 3339 nor epoch milliseconds in range",
  bad_feature: "a feature name or value is not allowed",
  model_not_allowed: "model is not allowed by ingest.models (allow / deny globs)",
  too_many_models: "a new model beyond ingest.maxModels",
  store_rejected: "ClickHouse refused the row itself (the detail has the server's message)",
  invalid_cloudevent:
    "a KServe half without the CloudEvents attributes it needs (ce-id, ce-type, ce-specversion, ce-source)",
  invalid_inference:
    "an inference request or response that is not a V1/V2 payload or does not fit the model's mapping",
  invalid_protobuf: "a Seldon payload that is not an Open Inference Protocol V2 Protobuf message",
  pair_mismatch: "request and response of one inference disagree (row counts or ids)",
  unjoinable: "a request or response half whose partner did not arrive within the join wait",
} as const;

export type DeadLetterReason = keyof typeof DEAD_LETTER_REASONS;

export function isDeadLetterReason(value: string): value is DeadLetterReason {
  return Object.hasOwn(DEAD_LETTER_REASONS, value);
}
