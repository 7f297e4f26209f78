// driftwatch.notifications, the delivery log: one row per attempt (written in batches by the
// record stage) and, on start, the notification log rebuilt from the last delivered row per
// aggregation group and integration.
import { type SqlEngine, qualifiedName, tableRef, join, sql } from "../../src/store/index.js";
import type { NotificationLogEntry } from "../pipeline/notification-log.js";
import { toSeconds } from "./columns.js";

export type DeliveryKind = "firing" | "resolved" | "retrain" | "test";
export type DeliveryStatus = "delivered" | "retrying" | "failed" | "aborted";

export interface DeliveryLogRow {
  readonly sentAt: number;
  readonly notificationId: string;
  readonly groupKey: string;
  readonly rule: string;
  readonly model: string;
  readonly receiver: string;
  readonly integration: string;
  readonly kind: DeliveryKind;
  readonly status: DeliveryStatus;
  readonly attempt: number;
  readonly retryable: boolean;
  readonly reason: string;
  readonly responseCode: number;
  readonly lastError: string;
  readonly detail: string;
  readonly durationMs: number;
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
  readonly externalRef: string;
}

export interface DeliveryLogWriter {
  write(rows: readonly DeliveryLogRow[]): Promise<void>;
}

export interface LoadedLogEntry {
  readonly groupKey: string;
  readonly integration: string;
  readonly entry: NotificationLogEntry;
}

/** A stored attempt as `attempts()` returns it. */
export interface StoredAttempt {
  readonly notification_id: string;
  readonly receiver: string;
  readonly integration: string;
  readonly kind: string;
  readonly status: string;
  readonly attempt: number;
  readonly reason: string;
  readonly response_code: number;
  readonly last_error: string;
  readonly sent_at_ms: number;
}

export class DeliveryLogStore implements DeliveryLogWriter {
  private readonly table: string;

  constructor(
    private readonly engine: SqlEngine,
    private readonly database: string,
  ) {
    this.table = qualifiedName(database, "notifications");
  }

  async write(rows: readonly DeliveryLogRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.engine.insert(
      this.table,
      rows.map((row) => ({
        sent_at: toSeconds(row.sentAt),
        sent_at_ms: Math.max(0, Math.floor(row.sentAt)),
        notification_id: row.notificationId,
        group_key: row.groupKey,
        rule: row.rule,
        model: row.model,
        receiver: row.receiver,
        integration: row.integration,
        kind: row.kind,
        status: row.status,
        attempt: row.attempt,
        retryable: row.retryable ? 1 : 0,
        reason: row.reason,
        response_code: Math.max(0, Math.min(65_535, Math.floor(row.responseCode))),
        last_error: row.lastError,
        detail: row.detail,
        duration_ms: Math.max(0, Math.min(4_294_967_295, Math.round(row.durationMs))),
        firing: row.firing,
        resolved: row.resolved,
        external_ref: row.externalRef,
      })),
    );
  }

  /** The last delivered alert notification per (group, integration) since `sinceMs`. */
  async loadNotificationLog(sinceMs: number): Promise<LoadedLogEntry[]> {
    const rows = await this.engine.query<{
      group_key: string;
      integration: string;
      notification_id: string;
      firing: string[];
      resolved: string[];
      last_sent_ms: number;
      external_ref: string;
    }>(sql`SELECT group_key, integration,
  argMax(notification_id, sent_at_ms) AS notification_id,
  argMax(firing, sent_at_ms) AS firing,
  argMax(resolved, sent_at_ms) AS resolved,
  max(sent_at_ms) AS last_sent_ms,
  argMax(external_ref, sent_at_ms) AS external_ref
FROM ${tableRef(this.database, "notifications")}
WHERE status = 'delivered' AND kind IN ('firing', 'resolved') AND sent_at >= toDateTime(${toSeconds(sinceMs)})
GROUP BY group_key, integration`);
    return rows.map((row) => ({
      groupKey: row.group_key,
      integration: row.integration,
      entry: {
        firing: new Set(row.firing),
        resolved: new Set(row.resolved),
        sentAt: Number(row.last_sent_ms),
        notificationId: row.notification_id,
        ...(row.external_ref !== "" ? { threadRef: row.external_ref } : {}),
      },
    }));
  }

  /** Attempts of one notification (or all since a time), oldest first: for tests and the CLI. */
  async attempts(
    filter: { notificationId?: string; sinceMs?: number } = {},
  ): Promise<StoredAttempt[]> {
    const conditions = [sql`sent_at >= toDateTime(${toSeconds(filter.sinceMs ?? 0)})`];
    if (filter.notificationId !== undefined)
      conditions.push(sql`notification_id = ${filter.notificationId}`);
    return this.engine
      .query<StoredAttempt>(sql`SELECT notification_id, receiver, integration, kind, status, attempt,
  reason, response_code, last_error, sent_at_ms
FROM ${tableRef(this.database, "notifications")}
WHERE ${join(conditions, " AND ")}
ORDER BY sent_at_ms, attempt`);
  }
}
