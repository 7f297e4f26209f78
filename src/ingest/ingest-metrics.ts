// Metrics of the ingester: consumed events, inserted rows, dead letters by reason, dropped
// duplicates, batch latency, insert failures, pause state and consumer lag per partition.
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { DEAD_LETTER_REASONS } from "./reasons.js";
import { INGEST_TABLES } from "./rows.js";

/** Kinds of failed write attempts (see src/ingest/batch-writer.ts). */
const WRITE_FAILURE_KINDS = ["outage", "rows", "refused"] as const;

export class IngestMetrics {
  readonly eventsConsumed: Counter<"topic">;
  readonly rowsInserted: Counter<"table">;
  readonly deadLettered: Counter<"reason">;
  readonly duplicatesDropped: Counter<"table">;
  readonly alreadyStoredSkipped: Counter<"table">;
  readonly batchDuration: Histogram;
  readonly batchRows: Histogram;
  readonly writeFailures: Counter<"target" | "kind">;
  readonly deadLettersWithoutPayload: Counter;
  readonly deadLettersUnstored: Counter;
  readonly dlqTruncated: Counter;
  readonly dlqUnsendable: Counter;
  readonly commitFailures: Counter;
  readonly paused: Gauge;
  readonly backpressureSeconds: Counter;
  readonly consumerLag: Gauge<"topic" | "partition">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.eventsConsumed = new Counter({
      name: "driftwatch_ingest_events_consumed_total",
      help: "Kafka messages the ingester consumed, by topic",
      labelNames: ["topic"],
      registers,
    });
    this.rowsInserted = new Counter({
      name: "driftwatch_ingest_rows_inserted_total",
      help: "Rows inserted into ClickHouse and acknowledged, by table",
      labelNames: ["table"],
      registers,
    });
    this.deadLettered = new Counter({
      name: "driftwatch_ingest_dead_letters_total",
      help: "Messages that failed validation and went to the DLQ topic and table, by reason",
      labelNames: ["reason"],
      registers,
    });
    this.duplicatesDropped = new Counter({
      name: "driftwatch_ingest_duplicates_dropped_total",
      help: "Events dropped because the same (model, event_id) was ingested within the dedup window",
      labelNames: ["table"],
      registers,
    });
    this.alreadyStoredSkipped = new Counter({
      name: "driftwatch_ingest_redelivered_skipped_total",
      help: "Redelivered messages skipped because their offset was already stored",
      labelNames: ["table"],
      registers,
    });
    this.batchDuration = new Histogram({
      name: "driftwatch_ingest_batch_duration_seconds",
      help: "Time from handing a batch to the writer until ClickHouse acknowledged it and offsets were committed",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.batchRows = new Histogram({
      name: "driftwatch_ingest_batch_messages",
      help: "Kafka messages per written batch",
      buckets: [1, 10, 100, 1_000, 5_000, 10_000, 50_000, 100_000],
      registers,
    });
    this.writeFailures = new Counter({
      name: "driftwatch_ingest_write_failures_total",
      help: "Failed write attempts by target table or topic and kind: outage and refused are retried with backoff, rows are isolated and dead-lettered",
      labelNames: ["target", "kind"],
      registers,
    });
    this.deadLettersWithoutPayload = new Counter({
      name: "driftwatch_ingest_dead_letters_without_payload_total",
      help: "Dead letters ClickHouse refused with their payload, stored without it (the DLQ topic has it)",
      registers,
    });
    this.deadLettersUnstored = new Counter({
      name: "driftwatch_ingest_dead_letters_unstored_total",
      help: "Dead letters ClickHouse refused even without their payload (on the DLQ topic only)",
      registers,
    });
    this.dlqTruncated = new Counter({
      name: "driftwatch_ingest_dlq_truncated_total",
      help: "Dead letters too large for the DLQ topic, sent as a truncated envelope (the table keeps them whole)",
      registers,
    });
    this.dlqUnsendable = new Counter({
      name: "driftwatch_ingest_dlq_unsendable_total",
      help: "Dead letters the DLQ topic refused even as an empty envelope (in the table only)",
      registers,
    });
    this.commitFailures = new Counter({
      name: "driftwatch_ingest_commit_failures_total",
      help: "Offset commits Kafka refused (the stored positions keep redelivery duplicate-free)",
      registers,
    });
    this.backpressureSeconds = new Counter({
      name: "driftwatch_ingest_backpressure_seconds_total",
      help: "Time consumption waited for the previous batch's write (ClickHouse slower than Kafka)",
      registers,
    });
    this.paused = new Gauge({
      name: "driftwatch_ingest_paused",
      help: "1 while consumption is paused because writes are failing",
      registers,
    });
    this.consumerLag = new Gauge({
      name: "driftwatch_ingest_consumer_lag",
      help: "Messages between the ingester's position and the end of the partition",
      labelNames: ["topic", "partition"],
      registers,
    });
    // Every reason and table exists from the start, at zero, so rate() and alerts see them.
    for (const reason of Object.keys(DEAD_LETTER_REASONS)) this.deadLettered.labels(reason).inc(0);
    for (const table of INGEST_TABLES) {
      this.rowsInserted.labels(table).inc(0);
      this.duplicatesDropped.labels(table).inc(0);
      this.alreadyStoredSkipped.labels(table).inc(0);
    }
    for (const target of [...INGEST_TABLES, "dlq_topic"]) {
      for (const kind of WRITE_FAILURE_KINDS) this.writeFailures.labels(target, kind).inc(0);
    }
    this.paused.set(0);
  }
}
