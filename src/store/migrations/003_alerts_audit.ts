// Migration 3: minimal alert state, notification log and audit log (the alerts work extends them
// with later migrations). On a cluster only audit_log is created here: migration 5 replaces the
// other two, and a cluster schema is always created whole by this release, so they are created
// there once, in their final form (no DROP that a second starting instance could repeat).
import { createTable, type TableDefinition } from "../table-ddl.js";
import type { Migration } from "./migration.js";

// Latest state per alert: a new row per transition, collapsed by updated_at.
const MINIMAL_ALERTS: TableDefinition = {
  name: "alerts",
  columns: `
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
  updated_at DateTime`,
  engine: { kind: "ReplacingMergeTree", version: "updated_at" },
  orderBy: "(rule, model, alert_id)",
  shardingKey: "cityHash64(model)",
};

const MINIMAL_NOTIFICATIONS: TableDefinition = {
  name: "notifications",
  columns: `
  sent_at DateTime,
  alert_id String,
  rule String,
  model String,
  receiver String,
  integration String,
  status String,
  attempt UInt32,
  reason String,
  detail String`,
  engine: { kind: "MergeTree" },
  partitionBy: "toYYYYMMDD(sent_at)",
  orderBy: "(sent_at, alert_id)",
  shardingKey: "cityHash64(model)",
};

export const alertAndAuditTables: Migration = {
  version: 3,
  name: "alerts, notifications, audit_log",
  statements: (target) => [
    ...(target.cluster === undefined
      ? [...createTable(target, MINIMAL_ALERTS), ...createTable(target, MINIMAL_NOTIFICATIONS)]
      : []),
    ...createTable(target, {
      name: "audit_log",
      columns: `
  ts DateTime,
  actor String,
  action String,
  target String,
  detail String`,
      engine: { kind: "MergeTree" },
      partitionBy: "toYYYYMMDD(ts)",
      orderBy: "(ts, action)",
      // An append-only log: spread evenly.
      shardingKey: "rand()",
    }),
  ],
};
