// Producing a JSON-lines file of events to Kafka (`driftwatch send`): each line is checked against
// the event contract first (unless told not to), keyed by its event_id, sent in batches; lines
// that are invalid or that the brokers did not acknowledge are reported with their line numbers.
import type { Readable } from "node:stream";
import type { OutgoingRecord, Producer } from "../kafka/index.js";
import { readLines, type NumberedLine } from "./jsonl-lines.js";
import { validateLabel, validatePrediction, type ValidationRules } from "./validate.js";

export type EventKind = "predictions" | "labels";

export interface SendOptions {
  readonly topic: string;
  /** Which contract lines are checked against. */
  readonly kind: EventKind;
  /** Records per produce request. */
  readonly batchSize: number;
  /** Check lines before sending (false sends every non-blank line as it is). */
  readonly validate: boolean;
  readonly rules: ValidationRules;
  /** Called after each acknowledged batch. */
  readonly onProgress?: (progress: SendProgress) => void;
}

export interface SendProgress {
  readonly lines: number;
  readonly sent: number;
  readonly failed: number;
}

export interface FailedLine {
  readonly line: number;
  readonly reason: string;
  readonly detail: string;
}

export interface SendSummary {
  readonly topic: string;
  /** Non-blank lines read. */
  readonly lines: number;
  readonly sent: number;
  readonly failed: readonly FailedLine[];
}

/** The event_id of a JSON line, for the record key (same key → same partition). */
function eventIdOf(bytes: Buffer): string | null {
  try {
    const parsed: unknown = JSON.parse(bytes.toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && "event_id" in parsed) {
      const eventId = (parsed as { event_id: unknown }).event_id;
      return typeof eventId === "string" ? eventId : null;
    }
  } catch {
    // Not JSON: sent without a key.
  }
  return null;
}

function check(
  line: NumberedLine,
  options: SendOptions,
): { record: OutgoingRecord } | { failure: FailedLine } {
  if (!options.validate) return { record: { key: eventIdOf(line.bytes), value: line.bytes } };
  const message = {
    topic: options.topic,
    partition: 0,
    offset: 0,
    timestampMs: Date.now(),
    value: line.bytes,
  };
  const verdict =
    options.kind === "labels"
      ? validateLabel(message, options.rules, 0)
      : validatePrediction(message, options.rules, 0);
  if (!verdict.ok) {
    return { failure: { line: line.lineNumber, reason: verdict.reason, detail: verdict.detail } };
  }
  return { record: { key: verdict.row.event_id, value: line.bytes } };
}

export async function sendEvents(
  input: Readable,
  producer: Producer,
  options: SendOptions,
): Promise<SendSummary> {
  const failed: FailedLine[] = [];
  let lines = 0;
  let sent = 0;
  let pending: { line: number; record: OutgoingRecord }[] = [];
  let brokerError: string | undefined;

  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    if (brokerError === undefined) {
      try {
        await producer.send(
          options.topic,
          batch.map((entry) => entry.record),
        );
        sent += batch.length;
        options.onProgress?.({ lines, sent, failed: failed.length });
        return;
      } catch (error) {
        brokerError = (error as Error).message;
      }
    }
    // Once the brokers refused a batch, the rest is not attempted: every line is reported.
    for (const entry of batch) {
      failed.push({ line: entry.line, reason: "not_sent", detail: brokerError });
    }
  };

  for await (const line of readLines(input)) {
    lines++;
    const outcome = check(line, options);
    if ("failure" in outcome) {
      failed.push(outcome.failure);
      continue;
    }
    pending.push({ line: line.lineNumber, record: outcome.record });
    if (pending.length >= options.batchSize) await flush();
  }
  await flush();
  failed.sort((a, b) => a.line - b.line);
  return { topic: options.topic, lines, sent, failed };
}
