// `dlq replay`: re-publish chosen dead letters' payloads, byte for byte and with their original
// keys, to the topic they first arrived on, so they pass validation and dedup again once the cause
// is fixed on driftwatch's side. Each acknowledged page is recorded in dead_letter_replays, so a
// second replay skips them (at-least-once: a crash between send and record may re-send a page,
// which the ingester's dedup absorbs).
import type { OutgoingRecord, Producer } from "../kafka/index.js";
import { type SqlEngine, qualifiedName } from "../store/index.js";
import {
  deadLettersAfter,
  REPLAYS_TABLE,
  type DeadLetterEntry,
  type DeadLetterFilter,
  type OriginalPosition,
} from "./dead-letters.js";

export interface ReplayOptions {
  readonly filter: DeadLetterFilter;
  /** Also replay dead letters that were replayed before. */
  readonly includeReplayed: boolean;
  /** Select and count, but send and record nothing. */
  readonly dryRun: boolean;
  readonly pageSize?: number;
  /** At most this many dead letters (undefined: all that match). */
  readonly limit?: number;
  readonly onPage?: (replayedSoFar: number) => void;
}

export interface ReplaySummary {
  readonly dryRun: boolean;
  /** Dead letters replayed (or, with dryRun, that would be). */
  readonly replayed: number;
  readonly byTopic: Readonly<Record<string, number>>;
  readonly byReason: Readonly<Record<string, number>>;
  /** The first positions replayed, for display. */
  readonly sample: readonly OriginalPosition[];
}

/** Header on replayed records naming the dead letter they came from. */
export const REPLAY_HEADER = "driftwatch-replay-of";

const SAMPLE_SIZE = 20;

function replayRecord(entry: DeadLetterEntry): OutgoingRecord {
  return {
    key: entry.key.length > 0 ? entry.key : null,
    value: entry.raw,
    headers: { [REPLAY_HEADER]: `${entry.topic}:${entry.partition}:${entry.offset}` },
  };
}

function countInto(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export async function replayDeadLetters(
  engine: SqlEngine,
  database: string,
  producer: Producer | undefined,
  options: ReplayOptions,
): Promise<ReplaySummary> {
  if (!options.dryRun && producer === undefined) throw new Error("replay needs a producer");
  const pageSize = options.pageSize ?? 500;
  const filter: DeadLetterFilter = { ...options.filter, notReplayed: !options.includeReplayed };
  const byTopic: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  const sample: OriginalPosition[] = [];
  let replayed = 0;
  let after: OriginalPosition | undefined;
  for (;;) {
    const remaining =
      options.limit === undefined ? pageSize : Math.min(pageSize, options.limit - replayed);
    if (remaining <= 0) break;
    const page = await deadLettersAfter(engine, database, filter, after, remaining);
    if (page.length === 0) break;
    if (!options.dryRun && producer !== undefined) {
      const topics = new Map<string, DeadLetterEntry[]>();
      for (const entry of page)
        topics.set(entry.topic, [...(topics.get(entry.topic) ?? []), entry]);
      for (const [topic, entries] of topics) await producer.send(topic, entries.map(replayRecord));
      const replayedAt = Math.floor(Date.now() / 1000);
      await engine.insert(
        qualifiedName(database, REPLAYS_TABLE),
        page.map((entry) => ({
          topic: entry.topic,
          partition: entry.partition,
          offset: entry.offset,
          reason: entry.reason,
          replayed_at: replayedAt,
        })),
      );
    }
    for (const entry of page) {
      countInto(byTopic, entry.topic);
      countInto(byReason, entry.reason);
      if (sample.length < SAMPLE_SIZE) {
        sample.push({ topic: entry.topic, partition: entry.partition, offset: entry.offset });
      }
    }
    replayed += page.length;
    options.onPage?.(replayed);
    const last = page[page.length - 1]!;
    after = { topic: last.topic, partition: last.partition, offset: last.offset };
    if (page.length < remaining) break;
  }
  return { dryRun: options.dryRun, replayed, byTopic, byReason, sample };
}
