// Row shapes written to ClickHouse by the ingester: one interface per table, field names equal to
// the column names of docs/storage.md, values already in the form JSONEachRow expects.

/** Where a row came from; (topic, partition, offset) lets a restarted ingester skip stored records. */
export interface SourcePosition {
  readonly kafka_topic: string;
  readonly kafka_partition: number;
  readonly kafka_offset: number;
}

export interface PredictionRow extends SourcePosition {
  readonly model: string;
  readonly model_version: string;
  readonly event_id: string;
  /** Event time, epoch seconds. */
  readonly ts: number;
  /** Millisecond part of the event time. */
  readonly ts_ms: number;
  readonly num_names: string[];
  readonly num_values: number[];
  readonly cat_names: string[];
  readonly cat_values: string[];
  readonly missing_names: string[];
  readonly prediction: string | null;
  readonly prediction_value: number | null;
  readonly label: string | null;
  readonly label_value: number | null;
  /** Epoch seconds. */
  readonly ingested_at: number;
}

export interface LabelRow extends SourcePosition {
  readonly model: string;
  readonly event_id: string;
  readonly label: string | null;
  readonly label_value: number | null;
  readonly ts: number;
  readonly ingested_at: number;
}

/** A message that failed validation; `raw` holds the payload bytes exactly as received. */
export interface DeadLetterRow {
  /** Epoch seconds. */
  readonly received_at: number;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly reason: string;
  readonly detail: string;
  readonly raw: Buffer;
  readonly key: Buffer;
}

/** The tables the ingester writes (names inside the configured database). */
export type IngestTable = "predictions" | "labels" | "dead_letters";

export const INGEST_TABLES: readonly IngestTable[] = ["predictions", "labels", "dead_letters"];
