// Rows as the store writes them (predictions, dead letters), with test defaults to override.
import type { DeadLetterRow, PredictionRow } from "../../src/ingest/rows.js";

export function predictionRow(overrides: Partial<PredictionRow> = {}): PredictionRow {
  return {
    model: "m",
    model_version: "1",
    event_id: "e",
    ts: 1_700_000_000,
    ts_ms: 0,
    num_names: ["x"],
    num_values: [1],
    cat_names: [],
    cat_values: [],
    missing_names: [],
    prediction: null,
    prediction_value: null,
    label: null,
    label_value: null,
    kafka_topic: "t",
    kafka_partition: 0,
    kafka_offset: 0,
    ingested_at: 1_700_000_000,
    ...overrides,
  };
}

export function deadLetterRow(overrides: Partial<DeadLetterRow> = {}): DeadLetterRow {
  return {
    received_at: 1_700_000_000,
    topic: "t",
    partition: 0,
    offset: 0,
    reason: "invalid_json",
    detail: "test",
    raw: Buffer.from("not json"),
    key: Buffer.alloc(0),
    ...overrides,
  };
}
