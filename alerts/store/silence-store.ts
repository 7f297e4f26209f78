// driftwatch.silences: silences created through the API or CLI, one row per change
// (ReplacingMergeTree on `version`). Any instance may write; the evaluator re-reads them.
import { randomUUID } from "node:crypto";
import type { SqlEngine } from "../../src/store/engine.js";
import { qualifiedName, tableRef } from "../../src/store/database.js";
import { sql } from "../../src/store/sql.js";
import { AlertsInputError, AlertsNotFoundError } from "../errors.js";
import { createMatcher, parseMatcher, type MatcherSpec } from "../silences/matchers.js";
import type { Silence } from "../silences/silence.js";
import { fromSeconds, toSeconds } from "./columns.js";

export interface CreateSilenceInput {
  /** `name=value` texts or matcher objects; at least one. */
  readonly matchers: readonly (string | MatcherSpec)[];
  /** Epoch ms; default now. */
  readonly startsAt?: number;
  /** Epoch ms; default startsAt + the configured default duration. */
  readonly endsAt?: number;
  readonly createdBy: string;
  readonly comment: string;
}

export interface SilenceLimits {
  readonly defaultDurationMs: number;
  readonly maxDurationMs: number;
}

interface SilenceRow {
  id: string;
  matchers: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export class SilenceStore {
  private readonly table: string;

  constructor(
    private readonly engine: SqlEngine,
    private readonly database: string,
  ) {
    this.table = qualifiedName(database, "silences");
  }

  /** Validate and store a new silence. Throws AlertsInputError naming the bad field. */
  async create(input: CreateSilenceInput, now: number, limits: SilenceLimits): Promise<Silence> {
    const silence = buildSilence(input, now, limits);
    await this.write(silence, now);
    return silence;
  }

  /** End a silence now (no-op for one already over). Throws AlertsNotFoundError. */
  async expire(id: string, now: number): Promise<Silence> {
    const silence = await this.get(id);
    if (silence === undefined) throw new AlertsNotFoundError("silence", id);
    if (silence.endsAt <= now) return silence;
    const expired: Silence = {
      ...silence,
      endsAt: Math.max(now, silence.startsAt),
      updatedAt: now,
    };
    await this.write(expired, now);
    return expired;
  }

  async get(id: string): Promise<Silence | undefined> {
    return (await this.query(sql`id = ${id}`))[0];
  }

  /** Silences still running at `sinceMs` (all when absent), newest first. */
  async list(sinceMs?: number): Promise<Silence[]> {
    return this.query(
      sinceMs === undefined ? sql`1` : sql`ends_at > toDateTime(${toSeconds(sinceMs)})`,
    );
  }

  private async write(silence: Silence, now: number): Promise<void> {
    await this.engine.insert(this.table, [
      {
        id: silence.id,
        matchers: JSON.stringify(silence.matchers),
        starts_at: toSeconds(silence.startsAt),
        ends_at: toSeconds(silence.endsAt),
        created_by: silence.createdBy,
        comment: silence.comment,
        created_at: toSeconds(silence.createdAt),
        updated_at: toSeconds(silence.updatedAt),
        version: Math.floor(now),
      },
    ]);
  }

  private async query(condition: ReturnType<typeof sql>): Promise<Silence[]> {
    const table = tableRef(this.database, "silences");
    const rows = await this.engine.query<SilenceRow>(sql`SELECT id, matchers,
  toUnixTimestamp(starts_at) AS starts_at, toUnixTimestamp(ends_at) AS ends_at,
  created_by, comment, toUnixTimestamp(created_at) AS created_at, toUnixTimestamp(updated_at) AS updated_at, version
FROM ${table}
WHERE (id, version) IN (SELECT id, max(version) FROM ${table} GROUP BY id) AND (${condition})
ORDER BY created_at DESC, id`);
    const byId = new Map<string, Silence>();
    for (const row of rows) {
      const silence = fromRow(row);
      if (silence !== undefined && !byId.has(silence.id)) byId.set(silence.id, silence);
    }
    return [...byId.values()];
  }
}

/** Validate a silence request and build the silence (pure). */
export function buildSilence(
  input: CreateSilenceInput,
  now: number,
  limits: SilenceLimits,
): Silence {
  if (!Array.isArray(input.matchers) || input.matchers.length === 0) {
    throw new AlertsInputError(
      "matchers",
      "at least one matcher is required (e.g. model=credit-risk)",
    );
  }
  const matchers = input.matchers.map((matcher, index) => {
    try {
      const parsed = typeof matcher === "string" ? parseMatcher(matcher) : createMatcher(matcher);
      return { name: parsed.name, op: parsed.op, value: parsed.value };
    } catch (error) {
      throw new AlertsInputError(`matchers[${index}]`, (error as Error).message);
    }
  });
  if (matchers.every((matcher) => createMatcher(matcher).matches({}))) {
    throw new AlertsInputError(
      "matchers",
      "would silence every alert: give at least one matcher that an empty label set does not match",
    );
  }
  if (typeof input.createdBy !== "string" || input.createdBy.trim() === "") {
    throw new AlertsInputError("createdBy", "is required (who creates the silence)");
  }
  if (typeof input.comment !== "string" || input.comment.trim() === "") {
    throw new AlertsInputError("comment", "is required (why the alerts are silenced)");
  }
  const startsAt = input.startsAt ?? now;
  const endsAt = input.endsAt ?? startsAt + limits.defaultDurationMs;
  if (!Number.isFinite(startsAt)) throw new AlertsInputError("startsAt", "must be a time");
  if (!Number.isFinite(endsAt)) throw new AlertsInputError("endsAt", "must be a time");
  if (endsAt <= startsAt) throw new AlertsInputError("endsAt", "must be after startsAt");
  if (endsAt <= now) throw new AlertsInputError("endsAt", "is in the past");
  if (endsAt - startsAt > limits.maxDurationMs) {
    throw new AlertsInputError("endsAt", `the silence is longer than alerts.silences.maxDuration`);
  }
  return {
    id: randomUUID(),
    matchers,
    startsAt,
    endsAt,
    createdBy: input.createdBy.trim(),
    comment: input.comment.trim(),
    createdAt: now,
    updatedAt: now,
  };
}

function fromRow(row: SilenceRow): Silence | undefined {
  let matchers: MatcherSpec[];
  try {
    matchers = (JSON.parse(row.matchers) as MatcherSpec[]).map((spec) => {
      const matcher = createMatcher(spec);
      return { name: matcher.name, op: matcher.op, value: matcher.value };
    });
  } catch {
    return undefined;
  }
  return {
    id: row.id,
    matchers,
    startsAt: fromSeconds(row.starts_at) ?? 0,
    endsAt: fromSeconds(row.ends_at) ?? 0,
    createdBy: row.created_by,
    comment: row.comment,
    createdAt: fromSeconds(row.created_at) ?? 0,
    updatedAt: fromSeconds(row.updated_at) ?? 0,
  };
}
