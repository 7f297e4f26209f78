// driftwatch.alerts: the state of every alert, one row per change (ReplacingMergeTree on
// `version`). The engine loads the live alerts on start (pending, firing, and resolved ones whose
// resolve was not sent yet) and writes its changes in batches; `driftwatch alerts list` reads it.
import {
  type SqlEngine,
  qualifiedName,
  tableRef,
  join,
  sql,
  type SqlFragment,
} from "../../src/store/index.js";
import { ALERT_STATES, type AlertState, type AlertStateName } from "../model/alert.js";
import { alertSummary } from "../templates/format.js";
import { fromFloat, fromSeconds, parseJsonObject, toSeconds } from "./columns.js";

interface AlertRow {
  alert_id: string;
  rule: string;
  model_version: string;
  state: string;
  value: number | null;
  threshold: number | null;
  labels: string;
  annotations: string;
  features: string[];
  active_at: number;
  fired_at: number;
  resolved_at: number;
  keep_firing_since: number;
  last_sent_at: number;
  resolve_sent_at: number;
  breaching_windows: number;
  clear_windows: number;
  window_start: number;
  window_end: number;
  last_window_end_ms: number;
  version: number;
}

export class AlertStateStore {
  private readonly table: string;

  constructor(
    private readonly engine: SqlEngine,
    private readonly database: string,
  ) {
    this.table = qualifiedName(database, "alerts");
  }

  /** Write the given states (the latest of each alert) in one insert. */
  async write(states: readonly AlertState[]): Promise<void> {
    if (states.length === 0) return;
    await this.engine.insert(
      this.table,
      states.map((alert) => ({
        alert_id: alert.fingerprint,
        rule: alert.rule,
        model: alert.labels.model ?? "",
        model_version: alert.modelVersion ?? "",
        feature: alert.labels.feature ?? "",
        metric: alert.labels.metric ?? "",
        severity: alert.labels.severity ?? "",
        state: alert.state,
        value: alert.value,
        threshold: alert.threshold,
        message: alertSummary(alert),
        labels: JSON.stringify(alert.labels),
        annotations: JSON.stringify(alert.annotations),
        features: alert.features,
        active_at: toSeconds(alert.activeAt),
        fired_at: toSeconds(alert.firedAt),
        resolved_at: toSeconds(alert.resolvedAt),
        keep_firing_since: toSeconds(alert.keepFiringSince),
        last_sent_at: toSeconds(alert.lastSentAt),
        resolve_sent_at: toSeconds(alert.resolveSentAt),
        breaching_windows: alert.breachingWindows,
        clear_windows: alert.clearWindows,
        window_start: toSeconds(alert.windowStart),
        window_end: toSeconds(alert.windowEnd),
        last_window_end_ms: Math.max(0, Math.floor(alert.lastWindowEnd ?? 0)),
        updated_at: toSeconds(alert.updatedAt),
        version: Math.max(0, Math.floor(alert.updatedAt)),
      })),
    );
  }

  /** Alerts the engine must keep tracking: pending, firing, and resolved with the resolve unsent. */
  async loadLive(): Promise<AlertState[]> {
    return this.latest(
      sql`state IN ('pending', 'firing') OR (state = 'resolved' AND resolve_sent_at = toDateTime(0))`,
    );
  }

  /** Current alerts in the given states (for `driftwatch alerts list` and the API). */
  async list(states: readonly AlertStateName[] = ["pending", "firing"]): Promise<AlertState[]> {
    return this.latest(sql`state IN (${join(states.map((state) => sql`${state}`))})`);
  }

  private async latest(condition: SqlFragment): Promise<AlertState[]> {
    const table = tableRef(this.database, "alerts");
    const rows = await this.engine
      .query<AlertRow>(sql`SELECT alert_id, rule, model_version, state, value, threshold,
  labels, annotations, features,
  toUnixTimestamp(active_at) AS active_at, toUnixTimestamp(fired_at) AS fired_at,
  toUnixTimestamp(resolved_at) AS resolved_at, toUnixTimestamp(keep_firing_since) AS keep_firing_since,
  toUnixTimestamp(last_sent_at) AS last_sent_at, toUnixTimestamp(resolve_sent_at) AS resolve_sent_at,
  breaching_windows, clear_windows,
  toUnixTimestamp(window_start) AS window_start, toUnixTimestamp(window_end) AS window_end,
  last_window_end_ms, version
FROM ${table}
WHERE (rule, model, alert_id, version) IN
  (SELECT rule, model, alert_id, max(version) FROM ${table} GROUP BY rule, model, alert_id)
  AND (${condition})
ORDER BY rule, alert_id`);
    // Equal versions (a duplicate write) collapse to one row per alert.
    const byId = new Map<string, AlertState>();
    for (const row of rows) byId.set(`${row.rule}\u0000${row.alert_id}`, fromRow(row));
    return [...byId.values()];
  }
}

function fromRow(row: AlertRow): AlertState {
  const state = (ALERT_STATES as readonly string[]).includes(row.state)
    ? (row.state as AlertStateName)
    : "inactive";
  const optional = (name: keyof AlertState, value: number | undefined) =>
    value !== undefined ? { [name]: value } : {};
  const lastWindowEnd = Number(row.last_window_end_ms);
  return {
    rule: row.rule,
    fingerprint: row.alert_id,
    labels: parseJsonObject(row.labels),
    state,
    ...optional("activeAt", fromSeconds(row.active_at)),
    ...optional("firedAt", fromSeconds(row.fired_at)),
    ...optional("resolvedAt", fromSeconds(row.resolved_at)),
    ...optional("keepFiringSince", fromSeconds(row.keep_firing_since)),
    ...optional("lastSentAt", fromSeconds(row.last_sent_at)),
    ...optional("resolveSentAt", fromSeconds(row.resolve_sent_at)),
    ...optional("windowStart", fromSeconds(row.window_start)),
    ...optional("windowEnd", fromSeconds(row.window_end)),
    ...(lastWindowEnd > 0 ? { lastWindowEnd } : {}),
    ...(row.model_version !== "" ? { modelVersion: row.model_version } : {}),
    breachingWindows: Number(row.breaching_windows),
    clearWindows: Number(row.clear_windows),
    value: fromFloat(row.value),
    threshold: fromFloat(row.threshold),
    annotations: parseJsonObject(row.annotations),
    features: row.features,
    updatedAt: Number(row.version),
  };
}
