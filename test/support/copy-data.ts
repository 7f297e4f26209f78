// Data for the tests of `driftwatch copy`: a seeded source install with rows of every copied table
// (duplicates, hostile text, NaN, raw bytes), and readers that compare source and target.
import { Command, CommanderError } from "commander";
import { vi } from "vitest";
import { registerCopy } from "../../src/cli/commands/copy.js";
import { COPIED_TABLES } from "../../src/cli/copy/index.js";
import { CliError } from "../../src/cli/errors.js";
import { ident, join, sql, tableRef, type SqlEngine } from "../../src/store/index.js";

export const HOSTILE = [
  "plain",
  "quote ' and double \" and back\\slash",
  "new\nline\ttab\r",
  "nul\u0000byte",
  "ünïcødé ✓ 🚀",
  "`; DROP TABLE x; --",
  "",
];
export const DAY = Date.UTC(2026, 0, 10) / 1000;

/**
 * Fill `database` (migrated) with rows of every copied table: 1,500 predictions over three days
 * (40 resent with a later ingested_at), labels, dead letters with raw bytes and an exact duplicate,
 * references, results (NaN and ±inf), alert history, silences, retrain requests, the audit log
 * (some entries 20 kB long), and a label whose event id is not UTF-8.
 */
export async function seedCopySource(source: SqlEngine, database: string): Promise<void> {
  const table = (name: string) => `${database}.${name}`;
  const predictions = [];
  for (let i = 0; i < 1500; i += 1) {
    const model = i % 3 === 0 ? "churn" : "fraud 'quoted'";
    predictions.push({
      model,
      model_version: "v1",
      event_id: `${HOSTILE[i % HOSTILE.length]}-${i}`,
      ts: DAY + (i % 3) * 86_400 + i,
      ts_ms: i % 1000,
      num_names: ["amount", "age"],
      num_values: [i * 0.1, i % 7 === 0 ? Number.NaN : 1 / (i + 1)],
      cat_names: ["country"],
      cat_values: [HOSTILE[(i + 1) % HOSTILE.length]],
      missing_names: [],
      prediction: i % 5 === 0 ? null : "yes",
      prediction_value: i % 11 === 0 ? Number.NaN : i / 1500,
      label: null,
      label_value: null,
      kafka_topic: "predictions",
      kafka_partition: i % 4,
      kafka_offset: i,
      ingested_at: DAY + 100_000,
    });
  }
  await source.insert(table("predictions"), predictions);
  // Resent events: the same keys again, a later ingested_at (unmerged duplicates in the source).
  await source.insert(
    table("predictions"),
    predictions
      .slice(0, 40)
      .map((row) => ({ ...row, ingested_at: DAY + 200_000, prediction: "resent" })),
  );
  await source.insert(
    table("labels"),
    predictions.slice(0, 300).map((row, i) => ({
      model: row.model,
      event_id: row.event_id,
      label: i % 2 === 0 ? "yes" : null,
      label_value: i % 2 === 0 ? null : i,
      ts: row.ts + 60,
      kafka_topic: "labels",
      kafka_partition: 0,
      kafka_offset: i,
      ingested_at: DAY + 100_000,
    })),
  );
  await source.insert(
    table("dead_letters"),
    HOSTILE.map((text, i) => ({
      received_at: DAY + i,
      topic: "predictions",
      partition: 0,
      offset: 10_000 + i,
      reason: "invalid_json",
      detail: text,
      raw: Buffer.from([0, 255, 254, i, 10, 39, 92]),
      key: text,
    })),
  );
  // An exact duplicate in a log table is kept as a duplicate.
  await source.insert(table("dead_letters"), [
    {
      received_at: DAY,
      topic: "predictions",
      partition: 0,
      offset: 10_000,
      reason: "invalid_json",
      detail: "plain",
      raw: "x",
      key: "",
    },
  ]);
  await source.insert(table("dead_letter_replays"), [
    {
      topic: "predictions",
      partition: 0,
      offset: 10_000,
      reason: "invalid_json",
      replayed_at: DAY + 5,
    },
  ]);
  await source.insert(table("model_references"), [
    {
      model: "churn",
      model_version: "v1",
      reference_id: "ref-1",
      kind: "dataset",
      range_from: 0,
      range_to: 0,
      rolling_days: 0,
      row_count: 250,
      created_at: DAY,
      created_at_ms: DAY * 1000,
      created_by: "it's me",
    },
    {
      model: "churn",
      model_version: "v1",
      reference_id: "ref-2",
      kind: "dataset",
      range_from: 0,
      range_to: 0,
      rolling_days: 0,
      row_count: 250,
      created_at: DAY + 1,
      created_at_ms: DAY * 1000 + 1000,
      created_by: "me\nagain",
    },
  ]);
  const referenceRows = [];
  for (const referenceId of ["ref-1", "ref-2"]) {
    for (let i = 0; i < 250; i += 1) {
      referenceRows.push({
        model: "churn",
        model_version: "v1",
        reference_id: referenceId,
        row_number: i,
        num_names: ["amount"],
        num_values: [i / 3],
        cat_names: [],
        cat_values: [],
        missing_names: [],
        prediction: "no",
        prediction_value: null,
        label: HOSTILE[i % HOSTILE.length],
        label_value: null,
      });
    }
  }
  await source.insert(table("reference_rows"), referenceRows);
  await source.insert(table("evaluated_windows"), [
    {
      model: "churn",
      model_version: "v1",
      window_start: DAY,
      window_end: DAY + 3600,
      row_count: 10,
      n_labelled: 2,
      performance_evaluated: 1,
      drift_share: 0.5,
      drifted: 1,
      degraded: 0,
      reasons: ["a'b"],
      skipped_reason: "",
      evaluated_at: DAY + 3700,
      evaluated_at_ms: (DAY + 3700) * 1000,
    },
  ]);
  await source.insert(table("drift_results"), [
    {
      model: "churn",
      model_version: "v1",
      window_start: DAY,
      window_end: DAY + 3600,
      feature: "amount",
      metric: "psi",
      value: 0.3,
      threshold: 0.2,
      drifted: 1,
      computed_at: DAY + 3700,
    },
    {
      model: "churn",
      model_version: "v1",
      window_start: DAY,
      window_end: DAY + 3600,
      feature: "amount",
      metric: "psi",
      value: 0.31,
      threshold: 0.2,
      drifted: 1,
      computed_at: DAY + 3800,
    },
  ]);
  await source.insert(table("performance_results"), [
    {
      model: "churn",
      model_version: "v1",
      window_start: DAY,
      window_end: DAY + 3600,
      metric: "accuracy",
      value: 0.9,
      reference_value: 0.95,
      n_labelled: 20,
      p_value: Number.NaN,
      computed_at: DAY + 3700,
      band_lower: Number.NaN,
      band_upper: Number.POSITIVE_INFINITY,
      threshold_lower: Number.NEGATIVE_INFINITY,
      threshold_upper: 1,
      alert: 0,
    },
  ]);
  await source.insert(
    table("alerts"),
    [1, 2].map((version) => ({
      ...ALERT_CHANGE,
      state: version === 1 ? "pending" : "firing",
      breaching_windows: version,
      updated_at: DAY + version,
      version,
    })),
  );
  await source.insert(table("notifications"), [
    {
      sent_at: DAY,
      sent_at_ms: DAY * 1000,
      notification_id: "n1",
      group_key: "g",
      rule: "drift",
      model: "churn",
      receiver: "team",
      integration: "webhook",
      kind: "alert",
      status: "failed",
      attempt: 1,
      retryable: 1,
      reason: "timeout",
      response_code: 0,
      last_error: HOSTILE[2],
      detail: "",
      duration_ms: 5,
      firing: ["a1"],
      resolved: [],
      external_ref: "",
    },
    {
      sent_at: DAY + 1,
      sent_at_ms: DAY * 1000 + 1000,
      notification_id: "n1",
      group_key: "g",
      rule: "drift",
      model: "churn",
      receiver: "team",
      integration: "webhook",
      kind: "alert",
      status: "sent",
      attempt: 2,
      retryable: 0,
      reason: "",
      response_code: 200,
      last_error: "",
      detail: "",
      duration_ms: 5,
      firing: ["a1"],
      resolved: [],
      external_ref: "",
    },
  ]);
  await source.insert(table("silences"), [
    {
      id: "s1",
      matchers: "[]",
      starts_at: DAY,
      ends_at: DAY + 10,
      created_by: "x",
      comment: HOSTILE[4],
      created_at: DAY,
      updated_at: DAY,
      version: 1,
    },
  ]);
  await source.insert(table("retrain_requests"), [
    {
      model: "churn",
      request_id: "r1",
      source: "alert",
      reason: "drift",
      episode: "e",
      actions: ["webhook"],
      requested_at: DAY,
      requested_at_ms: DAY * 1000,
      status: "sent",
      detail: "",
      payload: "{}",
      updated_at_ms: DAY * 1000,
    },
  ]);
  await source.insert(
    table("audit_log"),
    HOSTILE.map((text, i) => ({
      ts: DAY + i,
      actor: "admin",
      action: "reference.set",
      target: text,
      detail: text,
    })),
  );
  // A key whose bytes are not UTF-8 (text written by another client).
  await source.command(
    sql`INSERT INTO ${tableRef(database, "labels")} (model, event_id, label, label_value, ts, kafka_topic, kafka_partition, kafka_offset, ingested_at)
SELECT 'churn', unhex('FF00FE41'), 'bytes', NULL, toDateTime(${DAY}), 'labels', 0, 9999, toDateTime(${DAY + 100_000})`,
  );
  // Long identities (20 kB each, 600 kB together): more than one statement may carry.
  await source.insert(
    table("audit_log"),
    Array.from({ length: LONG_AUDIT_ENTRIES }, (_, i) => ({
      ts: DAY + 100 + i,
      actor: "pipeline",
      action: "reference.upload",
      target: `ref-${i}`,
      detail: `${"long detail ".repeat(1700)}${i}`,
    })),
  );
}

/** One row of the seeded alert's history (spread with state, times and version). */
export const ALERT_CHANGE = {
  alert_id: "a1",
  rule: "drift",
  model: "churn",
  model_version: "v1",
  feature: "amount",
  metric: "psi",
  severity: "warning",
  state: "pending",
  value: 0.3,
  threshold: 0.2,
  message: HOSTILE[1],
  labels: "{}",
  annotations: "{}",
  features: ["amount"],
  active_at: DAY,
  fired_at: DAY,
  resolved_at: 0,
  keep_firing_since: 0,
  last_sent_at: 0,
  resolve_sent_at: 0,
  breaching_windows: 0,
  clear_windows: 0,
  window_start: DAY,
  window_end: DAY + 3600,
  last_window_end_ms: 0,
  updated_at: DAY,
  version: 0,
};

/** Audit entries with a 20 kB detail each, in the seeded audit_log. */
export const LONG_AUDIT_ENTRIES = 30;

/** Every row of the table as sorted JSON lines (FINAL for ReplacingMergeTree: merges may differ). */
export async function contents(
  engine: SqlEngine,
  database: string,
  table: string,
): Promise<string[]> {
  const spec = COPIED_TABLES.find((t) => t.table === table)!;
  const final = spec.merge === "replacing" ? sql` FINAL` : sql``;
  const rows = await engine.query(sql`SELECT * FROM ${tableRef(database, table)}${final}`);
  return rows.map((row) => JSON.stringify(row)).sort();
}

/** Distinct copy entries: key and version of a ReplacingMergeTree table, the identity of a log. */
export async function entries(engine: SqlEngine, database: string, table: string): Promise<number> {
  const spec = COPIED_TABLES.find((t) => t.table === table)!;
  const names = spec.version === undefined ? spec.identity : [...spec.identity, spec.version];
  const rows = await engine.query<{ n: number }>(
    sql`SELECT uniqExact(${join(names.map((name) => ident(name)))}) AS n FROM ${tableRef(database, table)}`,
  );
  return Number(rows[0]!.n);
}

export async function keys(engine: SqlEngine, database: string, table: string): Promise<number> {
  const spec = COPIED_TABLES.find((t) => t.table === table)!;
  const columns = join(spec.identity.map((name) => ident(name)));
  const rows = await engine.query<{ n: number }>(
    sql`SELECT uniqExact(${columns}) AS n FROM ${tableRef(database, table)}`,
  );
  return Number(rows[0]!.n);
}

export interface CopyRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const OVERRIDES = [
  "DRIFTWATCH_CONFIG",
  "DRIFTWATCH_CLICKHOUSE_URL",
  "DRIFTWATCH_CLICKHOUSE_DATABASE",
  "DRIFTWATCH_CLICKHOUSE_CLUSTER",
];

/**
 * Run `driftwatch copy …args` in-process with `env` in place of the run's own DRIFTWATCH_CONFIG
 * and ClickHouse variables; the exit code as the CLI maps it (CliError's code, commander's for
 * --help, process.exitCode otherwise), stdout and stderr as written.
 */
export async function runCopyCommand(
  env: Readonly<Record<string, string>>,
  args: readonly string[],
): Promise<CopyRun> {
  const saved = OVERRIDES.map((name) => [name, process.env[name]] as const);
  for (const name of OVERRIDES) delete process.env[name];
  Object.assign(process.env, env);
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  const program = new Command().exitOverride();
  registerCopy(program);
  try {
    await program.parseAsync(["node", "driftwatch", "copy", ...args]);
    const code = typeof process.exitCode === "number" ? process.exitCode : 0;
    return { code, stdout, stderr };
  } catch (error) {
    if (error instanceof CliError) return { code: error.exitCode, stdout, stderr: error.message };
    if (error instanceof CommanderError) return { code: error.exitCode, stdout, stderr };
    throw error;
  } finally {
    process.exitCode = undefined;
    vi.restoreAllMocks();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
