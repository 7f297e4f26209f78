// Migration 5 (owned by the alerts work, alerts/store/): the alert engine's tables in full.
// `alerts` (latest state per rule + label-set fingerprint) and `notifications` (the delivery log)
// REPLACE the minimal tables of migration 3: no release ever wrote to those, and 18.16 has no
// ADD COLUMN IF NOT EXISTS, so they are dropped and recreated. A re-run after an interruption is
// safe because nothing writes to these tables before migrations complete. `silences` and
// `retrain_requests` (the per-model retrain cooldown) are new. On a cluster nothing is dropped:
// migration 3 created neither table there (a second instance starting at the same time must not
// drop what the first one already writes to).
import { createTable } from "../table-ddl.js";
import { tableRef } from "../database.js";
import { sql } from "../sql.js";
import type { Migration } from "./migration.js";

/** The minimal table of migration 3, dropped on one server (never created on a cluster). */
function dropOnOneServer(database: string, cluster: string | undefined, table: string) {
  return cluster === undefined ? [sql`DROP TABLE IF EXISTS ${tableRef(database, table)}`] : [];
}

export const alertingTables: Migration = {
  version: 5,
  name: "alerting: alerts state, notifications delivery log, silences, retrain_requests",
  statements: (target) => [
    ...dropOnOneServer(target.database, target.cluster, "alerts"),
    // One row per change of an alert; the highest `version` (epoch ms) is the current state.
    // Unset times are 0 (1970-01-01).
    ...createTable(target, {
      name: "alerts",
      columns: `
  alert_id String,
  rule String,
  model String,
  model_version String,
  feature String,
  metric String,
  severity String,
  state String,
  value Float64,
  threshold Float64,
  message String,
  labels String,
  annotations String,
  features Array(String),
  active_at DateTime,
  fired_at DateTime,
  resolved_at DateTime,
  keep_firing_since DateTime,
  last_sent_at DateTime,
  resolve_sent_at DateTime,
  breaching_windows UInt32,
  clear_windows UInt32,
  window_start DateTime,
  window_end DateTime,
  last_window_end_ms UInt64,
  updated_at DateTime,
  version UInt64`,
      engine: { kind: "ReplacingMergeTree", version: "version" },
      orderBy: "(rule, model, alert_id)",
      shardingKey: "cityHash64(model)",
    }),
    ...dropOnOneServer(target.database, target.cluster, "notifications"),
    // One row per delivery attempt of a notification (or retrain request) to one integration.
    ...createTable(target, {
      name: "notifications",
      columns: `
  sent_at DateTime,
  sent_at_ms UInt64,
  notification_id String,
  group_key String,
  rule String,
  model String,
  receiver String,
  integration String,
  kind String,
  status String,
  attempt UInt32,
  retryable UInt8,
  reason String,
  response_code UInt16,
  last_error String,
  detail String,
  duration_ms UInt32,
  firing Array(String),
  resolved Array(String),
  external_ref String`,
      engine: { kind: "MergeTree" },
      partitionBy: "toYYYYMMDD(sent_at)",
      orderBy: "(sent_at, receiver, notification_id)",
      shardingKey: "cityHash64(model)",
    }),
    ...createTable(target, {
      name: "silences",
      columns: `
  id String,
  matchers String,
  starts_at DateTime,
  ends_at DateTime,
  created_by String,
  comment String,
  created_at DateTime,
  updated_at DateTime,
  version UInt64`,
      engine: { kind: "ReplacingMergeTree", version: "version" },
      orderBy: "id",
      shardingKey: "cityHash64(id)",
    }),
    // One row per claim and status change; a model's earliest live claim within the cooldown wins.
    ...createTable(target, {
      name: "retrain_requests",
      columns: `
  model String,
  request_id String,
  source String,
  reason String,
  episode String,
  actions Array(String),
  requested_at DateTime,
  requested_at_ms UInt64,
  status String,
  detail String,
  payload String,
  updated_at_ms UInt64`,
      engine: { kind: "ReplacingMergeTree", version: "updated_at_ms" },
      orderBy: "(model, request_id)",
      shardingKey: "cityHash64(model)",
    }),
  ],
};
