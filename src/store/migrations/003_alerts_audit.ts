// Migration 3: minimal alert state, notification log and audit log (the alerts work extends them
// with later migrations).
import { tableRef } from "../database.js";
import { sql } from "../sql.js";
import type { Migration } from "./migration.js";

export const alertAndAuditTables: Migration = {
  version: 3,
  name: "alerts, notifications, audit_log",
  statements: (database) => [
    // Latest state per alert: a new row per transition, collapsed by updated_at.
    sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, "alerts")} (
  alert_id String,
  rule String,
  model String,
  model_version String,
  feature String,
  severity String,
  state String,
  value Float64,
  threshold Float64,
  message String,
  active_at DateTime,
  fired_at DateTime,
  resolved_at DateTime,
  updated_at DateTime
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (rule, model, alert_id)`,
    sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, "notifications")} (
  sent_at DateTime,
  alert_id String,
  rule String,
  model String,
  receiver String,
  integration String,
  status String,
  attempt UInt32,
  reason String,
  detail String
) ENGINE = MergeTree
PARTITION BY toYYYYMMDD(sent_at)
ORDER BY (sent_at, alert_id)`,
    sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, "audit_log")} (
  ts DateTime,
  actor String,
  action String,
  target String,
  detail String
) ENGINE = MergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (ts, action)`,
  ],
};
