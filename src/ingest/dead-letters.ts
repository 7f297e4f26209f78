// Reading dead letters back (`dlq list`, `dlq replay`): filters by reason, time and original
// position, counts by reason, and pages of payloads with their exact bytes. A dead letter is
// identified by its original (topic, partition, offset); rows repeated by a redelivery race
// count once.
import { type SqlEngine, tableRef, join, raw, sql, type SqlFragment } from "../store/index.js";

export const REPLAYS_TABLE = "dead_letter_replays";

export interface OriginalPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface DeadLetterFilter {
  readonly reasons?: readonly string[];
  /** Inclusive lower bound on received_at, epoch ms. */
  readonly sinceMs?: number;
  /** Exclusive upper bound on received_at, epoch ms. */
  readonly untilMs?: number;
  readonly positions?: readonly OriginalPosition[];
  /** Leave out dead letters already replayed. */
  readonly notReplayed?: boolean;
}

export interface DeadLetterSummary {
  readonly total: number;
  readonly replayed: number;
  readonly byReason: Readonly<Record<string, number>>;
}

export interface DeadLetterEntry extends OriginalPosition {
  /** Epoch seconds. */
  readonly receivedAt: number;
  readonly reason: string;
  readonly detail: string;
  readonly raw: Buffer;
  readonly key: Buffer;
  /** Epoch seconds of the last replay, or null. */
  readonly replayedAt: number | null;
}

/** Parse "topic:partition:offset" (topic names may not contain ':'). */
export function parsePosition(text: string): OriginalPosition | string {
  const match = /^([A-Za-z0-9._-]{1,249}):(\d+):(\d+)$/.exec(text.trim());
  if (match === null) return `${JSON.stringify(text)} is not topic:partition:offset`;
  return { topic: match[1]!, partition: Number(match[2]), offset: Number(match[3]) };
}

function replayedCondition(database: string): SqlFragment {
  return sql`(topic, \`partition\`, \`offset\`) IN (SELECT topic, \`partition\`, \`offset\` FROM ${tableRef(database, REPLAYS_TABLE)})`;
}

function whereClause(database: string, filter: DeadLetterFilter): SqlFragment {
  const conditions: SqlFragment[] = [raw("1")];
  if (filter.reasons !== undefined && filter.reasons.length > 0) {
    conditions.push(sql`has(${[...filter.reasons]}, reason)`);
  }
  if (filter.sinceMs !== undefined) {
    conditions.push(sql`received_at >= toDateTime(${Math.floor(filter.sinceMs / 1000)})`);
  }
  if (filter.untilMs !== undefined) {
    conditions.push(sql`received_at < toDateTime(${Math.ceil(filter.untilMs / 1000)})`);
  }
  if (filter.positions !== undefined && filter.positions.length > 0) {
    const each = filter.positions.map(
      (position) =>
        sql`(topic = ${position.topic} AND \`partition\` = ${position.partition} AND \`offset\` = ${position.offset})`,
    );
    conditions.push(sql`(${join(each, " OR ")})`);
  }
  if (filter.notReplayed === true) conditions.push(sql`NOT ${replayedCondition(database)}`);
  return join(conditions, " AND ");
}

export async function summarizeDeadLetters(
  engine: SqlEngine,
  database: string,
  filter: DeadLetterFilter,
): Promise<DeadLetterSummary> {
  const rows = await engine.query<{ reason: string; n: number; replayed: number }>(sql`
    SELECT reason, uniqExact(topic, \`partition\`, \`offset\`) AS n,
           uniqExactIf(topic, \`partition\`, \`offset\`, ${replayedCondition(database)}) AS replayed
    FROM ${tableRef(database, "dead_letters")}
    WHERE ${whereClause(database, filter)}
    GROUP BY reason
    ORDER BY n DESC, reason`);
  const byReason: Record<string, number> = {};
  let total = 0;
  let replayed = 0;
  for (const row of rows) {
    byReason[row.reason] = Number(row.n);
    total += Number(row.n);
    replayed += Number(row.replayed);
  }
  return { total, replayed, byReason };
}

interface EntryRow {
  received_epoch: number;
  topic: string;
  partition: number;
  offset: number;
  reason: string;
  detail: string;
  raw_hex: string;
  key_hex: string;
  replayed_epoch: number;
}

function selectEntries(database: string, filter: DeadLetterFilter, tail: SqlFragment): SqlFragment {
  const replays = tableRef(database, REPLAYS_TABLE);
  return sql`
    SELECT toUInt32(received_at) AS received_epoch, topic, \`partition\`, \`offset\`, reason, detail,
           hex(raw) AS raw_hex, hex(key) AS key_hex, toUInt32(last_replay) AS replayed_epoch
    FROM ${tableRef(database, "dead_letters")}
    ANY LEFT JOIN (
      SELECT topic, \`partition\`, \`offset\`, max(replayed_at) AS last_replay
      FROM ${replays} GROUP BY topic, \`partition\`, \`offset\`
    ) AS replays USING (topic, \`partition\`, \`offset\`)
    WHERE ${whereClause(database, filter)}
    ${tail}`;
}

function toEntry(row: EntryRow): DeadLetterEntry {
  const replayedAt = Number(row.replayed_epoch);
  return {
    receivedAt: Number(row.received_epoch),
    topic: row.topic,
    partition: Number(row.partition),
    offset: Number(row.offset),
    reason: row.reason,
    detail: row.detail,
    raw: Buffer.from(row.raw_hex, "hex"),
    key: Buffer.from(row.key_hex, "hex"),
    replayedAt: replayedAt > 0 ? replayedAt : null,
  };
}

/** The newest dead letters first (one row per original position). */
export async function listDeadLetters(
  engine: SqlEngine,
  database: string,
  filter: DeadLetterFilter,
  limit: number,
): Promise<DeadLetterEntry[]> {
  const rows = await engine.query<EntryRow>(
    selectEntries(
      database,
      filter,
      sql`ORDER BY received_at DESC, topic, \`partition\`, \`offset\`
          LIMIT 1 BY topic, \`partition\`, \`offset\`
          LIMIT ${limit}`,
    ),
  );
  return rows.map(toEntry);
}

/**
 * Dead letters in original-position order, `pageSize` at a time, after `after` (exclusive):
 * keyset paging, so a large DLQ is never held in memory at once.
 */
export async function deadLettersAfter(
  engine: SqlEngine,
  database: string,
  filter: DeadLetterFilter,
  after: OriginalPosition | undefined,
  pageSize: number,
): Promise<DeadLetterEntry[]> {
  const keyset =
    after === undefined
      ? raw("1")
      : sql`(topic, \`partition\`, \`offset\`) > (${after.topic}, ${after.partition}, ${after.offset})`;
  const rows = await engine.query<EntryRow>(
    selectEntries(
      database,
      filter,
      sql`AND ${keyset}
          ORDER BY topic, \`partition\`, \`offset\`
          LIMIT 1 BY topic, \`partition\`, \`offset\`
          LIMIT ${pageSize}`,
    ),
  );
  return rows.map(toEntry);
}
