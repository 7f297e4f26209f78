// Intake of one consumed partition batch into the pending batch: validate each record, apply the
// model gate (allow / deny globs, model limit), skip the ones already stored (redelivery) or seen
// within the dedup window (producer resends), and route the rest to predictions, labels or dead
// letters.
import type { KafkaRecord, RecordBatch } from "../kafka/index.js";
import type { IngestMetrics } from "./ingest-metrics.js";
import type { DedupWindow } from "./dedup-window.js";
import type { ModelGate } from "./model-gate.js";
import type { PendingBatch } from "./pending-batch.js";
import type { StoredPositions } from "./stored-positions.js";
import {
  validateLabel,
  validatePrediction,
  type Invalid,
  type ValidationRules,
  type Verdict,
} from "./validate.js";

export type TopicRole = "predictions" | "labels";

export interface IntakeContext {
  readonly roleOf: (topic: string) => TopicRole | undefined;
  readonly rules: ValidationRules;
  readonly positions: StoredPositions;
  readonly windows: Readonly<Record<TopicRole, DedupWindow>>;
  readonly metrics: IngestMetrics;
  /** Which models are taken (absent: every valid model). */
  readonly gate?: ModelGate;
}

/** A valid verdict turned invalid when the model gate refuses its model. */
function gated<Row extends { model: string }>(
  verdict: Verdict<Row>,
  gate: ModelGate | undefined,
): Verdict<Row> {
  if (!verdict.ok || gate === undefined) return verdict;
  const refusal = gate.check(verdict.row.model);
  return refusal === undefined ? verdict : { ok: false, ...refusal };
}

interface RecordPlace {
  readonly topic: string;
  readonly partition: number;
  readonly nowSeconds: number;
  /** Stored marks of this partition, looked up once per batch. */
  readonly rowMark: number;
  readonly deadLetterMark: number;
}

function deadLetter(
  pending: PendingBatch,
  place: RecordPlace,
  record: KafkaRecord,
  verdict: Invalid,
): void {
  pending.addDeadLetter(
    {
      received_at: place.nowSeconds,
      topic: place.topic,
      partition: place.partition,
      offset: record.offset,
      reason: verdict.reason,
      detail: verdict.detail,
      raw: record.value ?? Buffer.alloc(0),
      key: record.key ?? Buffer.alloc(0),
    },
    record.key,
  );
}

/**
 * Whether a valid row is to be stored: false when the record is skipped (already stored, a
 * resend) or was dead-lettered here.
 */
function admit<Row extends { model: string; event_id: string }>(
  verdict: Verdict<Row>,
  role: TopicRole,
  pending: PendingBatch,
  place: RecordPlace,
  record: KafkaRecord,
  context: IntakeContext,
): boolean {
  const table = verdict.ok ? role : "dead_letters";
  if (record.offset <= (verdict.ok ? place.rowMark : place.deadLetterMark)) {
    context.metrics.alreadyStoredSkipped.labels(table).inc();
    return false;
  }
  if (!verdict.ok) {
    deadLetter(pending, place, record, verdict);
    return false;
  }
  if (!context.windows[role].admit(verdict.row.model, verdict.row.event_id)) {
    context.metrics.duplicatesDropped.labels(role).inc();
    return false;
  }
  return true;
}

/** Add every record of `batch` to `pending` and note the partition's next offset to commit. */
export function intakeBatch(
  batch: RecordBatch,
  pending: PendingBatch,
  context: IntakeContext,
): void {
  const { topic, partition, records } = batch;
  const last = records[records.length - 1];
  if (last === undefined) return;
  const role = context.roleOf(topic);
  if (role === undefined) throw new Error(`received records of unexpected topic ${topic}`);
  const place: RecordPlace = {
    topic,
    partition,
    nowSeconds: Math.floor(Date.now() / 1000),
    rowMark: context.positions.markOf(role, topic, partition),
    deadLetterMark: context.positions.markOf("dead_letters", topic, partition),
  };
  for (const record of records) {
    const message = {
      topic,
      partition,
      offset: record.offset,
      timestampMs: record.timestampMs,
      value: record.value,
    };
    if (role === "predictions") {
      const verdict = gated(
        validatePrediction(message, context.rules, place.nowSeconds),
        context.gate,
      );
      if (admit(verdict, role, pending, place, record, context) && verdict.ok) {
        pending.addPrediction(verdict.row, topic, partition, record);
      }
    } else {
      const verdict = gated(validateLabel(message, context.rules, place.nowSeconds), context.gate);
      if (admit(verdict, role, pending, place, record, context) && verdict.ok) {
        pending.addLabel(verdict.row, topic, partition, record);
      }
    }
  }
  pending.messages += records.length;
  pending.advance(topic, partition, last.offset);
  context.metrics.eventsConsumed.labels(topic).inc(records.length);
}
