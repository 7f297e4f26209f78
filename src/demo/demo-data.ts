// The demo's own rows in ClickHouse: counting what the service stored, and replacing an earlier
// run's data — every row of model `credit-risk` (events of other runs, results, alerts,
// notifications, retrain claims, references, audit entries) and nothing else.
import { writeFileSync } from "node:fs";
import {
  deleteRows,
  pendingMutations,
  recatalogModel,
  type SqlEngine,
  sql,
  tableRef,
  tablesWithColumn,
} from "../store/index.js";
import { DEMO_MODEL } from "./simulator.js";

/** Stored events and labels of this run (distinct event ids). */
/** Slack and email notifications of the demo model recorded as delivered in the delivery log. */
export async function deliveredMessages(engine: SqlEngine, database: string): Promise<number> {
  const [row] = await engine.query<{ n: number }>(
    sql`SELECT count() AS n FROM ${tableRef(database, "notifications")}
  WHERE model = ${DEMO_MODEL} AND status = 'delivered' AND integration IN ('slack', 'email')`,
  );
  return Number(row?.n ?? 0);
}

export async function storedCounts(
  engine: SqlEngine,
  database: string,
  runId: string,
): Promise<{ events: number; labels: number }> {
  const prefix = `${runId}-`;
  const [events] = await engine.query<{ n: number }>(
    sql`SELECT toUInt64(uniqExact(event_id)) AS n FROM ${tableRef(database, "predictions")}
  WHERE model = ${DEMO_MODEL} AND startsWith(event_id, ${prefix})`,
  );
  const [labels] = await engine.query<{ n: number }>(
    sql`SELECT toUInt64(uniqExact(event_id)) AS n FROM ${tableRef(database, "labels")}
  WHERE model = ${DEMO_MODEL} AND startsWith(event_id, ${prefix})`,
  );
  return { events: Number(events?.n ?? 0), labels: Number(labels?.n ?? 0) };
}

/**
 * Delete the demo model's rows of earlier runs. Events and labels of this run (ids starting with
 * `runId-`) stay; everything else the model owns goes. Waits for the mutations to finish.
 */
export async function deleteEarlierRuns(
  engine: SqlEngine,
  database: string,
  runId: string,
  timeoutMs: number,
): Promise<string[]> {
  const tables = await tablesWithColumn(engine, database, "model");
  const touched: string[] = [];
  const prefix = `${runId}-`;
  for (const table of tables) {
    const where =
      table === "predictions" || table === "labels"
        ? sql`model = ${DEMO_MODEL} AND NOT startsWith(event_id, ${prefix})`
        : sql`model = ${DEMO_MODEL}`;
    const [count] = await engine.query<{ n: number }>(
      sql`SELECT count() AS n FROM ${tableRef(database, table)} WHERE ${where}`,
    );
    if (Number(count?.n ?? 0) === 0) continue;
    await deleteRows(engine, database, table, where);
    touched.push(table);
  }
  const [audit] = await engine.query<{ n: number }>(
    sql`SELECT count() AS n FROM system.tables WHERE database = ${database} AND name = 'audit_log'`,
  );
  if (Number(audit?.n ?? 0) > 0) {
    const where = sql`target = ${DEMO_MODEL} OR startsWith(target, ${`${DEMO_MODEL}@`})`;
    const [count] = await engine.query<{ n: number }>(
      sql`SELECT count() AS n FROM ${tableRef(database, "audit_log")} WHERE ${where}`,
    );
    if (Number(count?.n ?? 0) > 0) {
      await deleteRows(engine, database, "audit_log", where);
      touched.push("audit_log");
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (touched.length > 0) {
    if ((await pendingMutations(engine, database)) === 0) break;
    if (Date.now() > deadline) {
      throw new Error(`deleting the earlier demo rows did not finish within ${timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // The catalog lost the versions of this run's events too: list them again.
  if (touched.includes("model_catalog")) await recatalogModel(engine, database, DEMO_MODEL);
  return touched;
}

export interface EvaluatedWindow {
  readonly modelVersion: string;
  readonly windowStart: number;
  readonly rows: number;
  readonly labelled: number;
  readonly performance: boolean;
  readonly driftShare: number;
  readonly drifted: boolean;
}

/** The latest evaluation of each of the model's windows. */
export async function evaluatedWindows(
  engine: SqlEngine,
  database: string,
): Promise<EvaluatedWindow[]> {
  const rows = await engine.query<{
    v: string;
    w: number;
    rows: number;
    labelled: number;
    perf: number;
    share: number;
    drifted: number;
  }>(
    sql`SELECT model_version AS v, toUInt32(window_start) AS w,
    argMax(row_count, evaluated_at_ms) AS rows, argMax(n_labelled, evaluated_at_ms) AS labelled,
    argMax(performance_evaluated, evaluated_at_ms) AS perf,
    argMax(drift_share, evaluated_at_ms) AS share, argMax(drifted, evaluated_at_ms) AS drifted
  FROM ${tableRef(database, "evaluated_windows")}
  WHERE model = ${DEMO_MODEL} GROUP BY v, w ORDER BY w, v`,
  );
  return rows.map((row) => ({
    modelVersion: row.v,
    windowStart: Number(row.w) * 1000,
    rows: Number(row.rows),
    labelled: Number(row.labelled),
    performance: Number(row.perf) === 1,
    driftShare: Number(row.share),
    drifted: Number(row.drifted) === 1,
  }));
}

/**
 * Export the model's stored events of one version and time range as CSV (one column per
 * feature, plus `score` = the prediction), deduplicated by event id. Returns the row count.
 */
export async function exportEventsCsv(
  engine: SqlEngine,
  database: string,
  range: { readonly version: string; readonly from: number; readonly to: number },
  path: string,
): Promise<number> {
  const rows = await engine.query<{
    num_names: string[];
    num_values: (number | null)[];
    cat_names: string[];
    cat_values: string[];
    score: number | null;
  }>(
    sql`SELECT num_names, num_values, cat_names, cat_values, prediction_value AS score
  FROM ${tableRef(database, "predictions")}
  WHERE model = ${DEMO_MODEL} AND model_version = ${range.version}
    AND ts >= toDateTime(${Math.floor(range.from / 1000)})
    AND ts < toDateTime(${Math.floor(range.to / 1000)})
  ORDER BY ts, event_id LIMIT 1 BY event_id`,
  );
  const records = rows.map((row) => {
    const record = new Map<string, string>();
    row.num_names.forEach((name, i) => record.set(name, String(row.num_values[i] ?? "")));
    row.cat_names.forEach((name, i) => record.set(name, row.cat_values[i] ?? ""));
    record.set("score", row.score === null ? "" : String(row.score));
    return record;
  });
  const columns = [...new Set(records.flatMap((record) => [...record.keys()]))].sort();
  const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = [
    columns.map(cell).join(","),
    ...records.map((record) => columns.map((c) => cell(record.get(c) ?? "")).join(",")),
  ];
  writeFileSync(path, lines.join("\n") + "\n");
  return records.length;
}
