// driftwatch.audit_log: who (token name, `cli:<user>`, `system`) changed what, when, with which
// details. The API (and the CLI) record every change through here, after the change succeeded.
import { qualifiedName, tableRef, type SqlEngine, join, sql } from "../store/index.js";

/**
 * The actions recorded so far: the monitor's operations (reference.set, version.register,
 * evaluate; target `model@version` or `model`), alert changes through the API or the CLI
 * (silence.create, silence.expire with the silence id as target; retrain.request with the model)
 * and dead-letter replays from the CLI (dlq.replay, target the topics replayed to).
 */
export const AUDIT_ACTIONS = [
  "reference.set",
  "version.register",
  "evaluate",
  "silence.create",
  "silence.expire",
  "retrain.request",
  "dlq.replay",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** Token name for API calls, `cli:<user>` for the CLI, `system` for the service. */
  readonly actor: string;
  readonly action: AuditAction;
  /** What it acted on: `model`, `model@version`, or a silence id. */
  readonly target: string;
  /** Small JSON-serialisable facts (never secrets, never uploaded rows). */
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface AuditRecord extends AuditEntry {
  /** Epoch milliseconds (stored with second precision). */
  readonly at: number;
}

interface AuditRow {
  ts: number;
  actor: string;
  action: string;
  target: string;
  detail: string;
}

/** Lifecycle: stateless; share one per process. Writes are single-row inserts (changes are rare). */
export class AuditLog {
  private readonly table: string;

  constructor(
    private readonly engine: SqlEngine,
    private readonly database: string,
    private readonly now: () => number = Date.now,
  ) {
    this.table = qualifiedName(database, "audit_log");
  }

  /** Store one entry; throws the store's errors (callers decide whether to fail the request). */
  async record(entry: AuditEntry): Promise<AuditRecord> {
    const at = this.now();
    const row: AuditRow = {
      ts: Math.floor(at / 1000),
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      detail: JSON.stringify(entry.detail),
    };
    await this.engine.insert(this.table, [row], {
      columns: ["ts", "actor", "action", "target", "detail"],
    });
    return { ...entry, at };
  }

  /** Entries newest first, optionally for one target prefix (a model) and time range. */
  async list(
    filter: { readonly target?: string; readonly from?: number; readonly to?: number } = {},
    limit = 1000,
  ): Promise<AuditRecord[]> {
    const conditions = [sql`1`];
    if (filter.target !== undefined) {
      conditions.push(
        sql`(target = ${filter.target} OR position(target, ${filter.target + "@"}) = 1)`,
      );
    }
    if (filter.from !== undefined) {
      conditions.push(sql`ts >= toDateTime(${Math.floor(filter.from / 1000)})`);
    }
    if (filter.to !== undefined) {
      conditions.push(sql`ts < toDateTime(${Math.ceil(filter.to / 1000)})`);
    }
    const rows = await this.engine.query<AuditRow>(
      sql`SELECT toUnixTimestamp(ts) AS ts, actor, action, target, detail
FROM ${tableRef(this.database, "audit_log")}
WHERE ${join(conditions, " AND ")}
ORDER BY ts DESC
LIMIT ${limit}`,
    );
    return rows.map((row) => ({
      at: Number(row.ts) * 1000,
      actor: row.actor,
      action: row.action as AuditAction,
      target: row.target,
      detail: parseDetail(row.detail),
    }));
  }
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return { text };
  }
}
