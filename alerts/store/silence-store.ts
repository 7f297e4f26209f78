// driftwatch.silences: silences created through the API or CLI, one row per change
// (ReplacingMergeTree on `version`). Any instance may write; the evaluator re-reads them. A stored
// silence the matcher engine now refuses (say a backreference stored by an older version) is
// expired when read, with a warning, and never stops the others from loading.
import { randomUUID } from "node:crypto";
import { type SqlEngine, qualifiedName, tableRef, sql } from "../../src/store/index.js";
import {
  createLogger,
  type Logger,
  createMatcher,
  MATCH_OPERATORS,
  MAX_MATCHERS_PER_SILENCE,
  parseMatcher,
  type Matcher,
  type MatcherSpec,
} from "../../src/util/index.js";
import { AlertsInputError, AlertsNotFoundError } from "../errors.js";
import { compileSilenceMatchers, type Silence } from "../silences/silence.js";
import { systemClock, type Clock } from "../time/clock.js";
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

export interface SilenceStoreOptions {
  /** Where refused stored silences are reported (default: an `alerts` logger on stderr). */
  readonly logger?: Logger;
  /** The time a refused silence is expired at when a read gives none (default: the system clock). */
  readonly clock?: Clock;
}

export class SilenceStore {
  private readonly table: string;
  private readonly clock: Clock;
  private logger: Logger | undefined;

  constructor(
    private readonly engine: SqlEngine,
    private readonly database: string,
    options: SilenceStoreOptions = {},
  ) {
    this.table = qualifiedName(database, "silences");
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
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

  /** The silence with `id` (a refused one is expired first, see `list`). */
  async get(id: string): Promise<Silence | undefined> {
    return (await this.query(sql`id = ${id}`, this.clock.now(), true))[0];
  }

  /**
   * Silences still running at `sinceMs` (all when absent), newest first. A running silence whose
   * stored matchers the engine refuses is expired at `sinceMs` (else now) and logged with its id
   * and the reason; it is left out, or listed as expired when all silences are asked for.
   */
  async list(sinceMs?: number): Promise<Silence[]> {
    if (sinceMs === undefined) return this.query(sql`1`, this.clock.now(), true);
    return this.query(sql`ends_at > toDateTime(${toSeconds(sinceMs)})`, sinceMs, false);
  }

  private async write(
    silence: Silence,
    now: number,
    stored?: { readonly matchers: string; readonly version: number },
  ): Promise<void> {
    await this.engine.insert(this.table, [
      {
        id: silence.id,
        matchers: stored?.matchers ?? JSON.stringify(silence.matchers),
        starts_at: toSeconds(silence.startsAt),
        ends_at: toSeconds(silence.endsAt),
        created_by: silence.createdBy,
        comment: silence.comment,
        created_at: toSeconds(silence.createdAt),
        updated_at: toSeconds(silence.updatedAt),
        // Above the stored version even when `now` is behind the writer's clock.
        version: Math.max(Math.floor(now), (stored?.version ?? 0) + 1),
      },
    ]);
  }

  /** Rows matching `condition`; refused ones are expired at `now`, and kept if `keepExpired`. */
  private async query(
    condition: ReturnType<typeof sql>,
    now: number,
    keepExpired: boolean,
  ): Promise<Silence[]> {
    const table = tableRef(this.database, "silences");
    const rows = await this.engine.query<SilenceRow>(sql`SELECT id, matchers,
  toUnixTimestamp(starts_at) AS starts_at, toUnixTimestamp(ends_at) AS ends_at,
  created_by, comment, toUnixTimestamp(created_at) AS created_at, toUnixTimestamp(updated_at) AS updated_at, version
FROM ${table}
WHERE (id, version) IN (SELECT id, max(version) FROM ${table} GROUP BY id) AND (${condition})
ORDER BY created_at DESC, id`);
    const byId = new Map<string, Silence>();
    for (const row of rows) {
      if (byId.has(row.id)) continue;
      const { silence, refused } = fromRow(row);
      if (refused === undefined) {
        byId.set(silence.id, silence);
        continue;
      }
      const ended =
        silence.endsAt > now ? await this.expireRefused(silence, row, refused, now) : silence;
      if (keepExpired) byId.set(ended.id, ended);
    }
    return [...byId.values()];
  }

  /** End a stored silence the engine refuses, keeping its stored matchers text as it was. */
  private async expireRefused(
    silence: Silence,
    row: SilenceRow,
    reason: string,
    now: number,
  ): Promise<Silence> {
    const expired: Silence = {
      ...silence,
      startsAt: Math.min(silence.startsAt, now),
      endsAt: now,
      updatedAt: now,
    };
    try {
      await this.write(expired, now, { matchers: row.matchers, version: Number(row.version) });
    } catch (error) {
      // Left out of this read all the same; the next read tries to store the expiry again.
      this.warn(
        { silence: silence.id, reason, err: (error as Error).message },
        `silence ${silence.id} is refused (${reason}) and could not be expired in ClickHouse; ignoring it`,
      );
      return expired;
    }
    this.warn(
      { silence: silence.id, reason },
      `silence ${silence.id} expired: its matchers are refused (${reason})`,
    );
    return expired;
  }

  private warn(fields: Record<string, unknown>, message: string): void {
    this.logger ??= createLogger("alerts");
    this.logger.warn(fields, message);
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
  if (input.matchers.length > MAX_MATCHERS_PER_SILENCE) {
    throw new AlertsInputError(
      "matchers",
      `${input.matchers.length} matchers given, at most ${MAX_MATCHERS_PER_SILENCE} are allowed per silence`,
    );
  }
  const compiled: Matcher[] = input.matchers.map((matcher, index) => {
    try {
      return typeof matcher === "string" ? parseMatcher(matcher) : createMatcher(matcher);
    } catch (error) {
      throw new AlertsInputError(`matchers[${index}]`, (error as Error).message);
    }
  });
  const matchers = compiled.map(({ name, op, value }) => ({ name, op, value }));
  if (compiled.every((matcher) => matcher.matches({}))) {
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

/** The silence a row holds, and why its matchers are refused when they are. */
function fromRow(row: SilenceRow): { silence: Silence; refused?: string } {
  let stored: unknown;
  try {
    stored = JSON.parse(row.matchers);
  } catch {
    stored = undefined;
  }
  const compiled = Array.isArray(stored)
    ? compileSilenceMatchers(stored as MatcherSpec[])
    : { reason: "the stored matchers are not a JSON list" };
  const silence: Silence = {
    id: row.id,
    matchers: Array.isArray(compiled)
      ? compiled.map(({ name, op, value }) => ({ name, op, value }))
      : wellFormed(stored),
    startsAt: fromSeconds(row.starts_at) ?? 0,
    endsAt: fromSeconds(row.ends_at) ?? 0,
    createdBy: row.created_by,
    comment: row.comment,
    createdAt: fromSeconds(row.created_at) ?? 0,
    updatedAt: fromSeconds(row.updated_at) ?? 0,
  };
  return Array.isArray(compiled) ? { silence } : { silence, refused: compiled.reason };
}

/** The matcher-shaped entries of a stored list, to show a refused silence as it was stored. */
function wellFormed(stored: unknown): MatcherSpec[] {
  if (!Array.isArray(stored)) return [];
  return (stored as unknown[]).flatMap((item) => {
    const spec = item as Partial<Record<keyof MatcherSpec, unknown>> | null;
    return spec !== null &&
      typeof spec === "object" &&
      typeof spec.name === "string" &&
      typeof spec.value === "string" &&
      (MATCH_OPERATORS as readonly unknown[]).includes(spec.op)
      ? [{ name: spec.name, op: spec.op as MatcherSpec["op"], value: spec.value }]
      : [];
  });
}
