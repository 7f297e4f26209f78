// `driftwatch copy --from <url>` between two real ClickHouse servers: a private 18.16 server holds
// the "old single node" (every copied table, duplicates, hostile text, NaN and raw bytes), the
// test stack's server is the target (a fresh database). The built CLI copies everything, a second
// run copies nothing, rows deleted from the target are found by --verify-only (exit 1) and put
// back by the next run, and --dry-run writes nothing.
import { Command, CommanderError } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startPrivateClickHouse, type PrivateClickHouse } from "../../../src/stack/index.js";
import {
  applyMigrations,
  createHttpEngine,
  dropDatabase,
  ident,
  join,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { COPIED_TABLES } from "../../../src/cli/copy/index.js";
import { registerCopy } from "../../../src/cli/commands/copy.js";
import { CliError } from "../../../src/cli/errors.js";
import { clickHouseUrl, serverEngine, uniqueDatabase } from "../../support/stack.js";

const SOURCE_DB = "driftwatch_old";
const targetDatabase = uniqueDatabase("copy");
let sourceServer: PrivateClickHouse | undefined;
let source: SqlEngine;
let target: SqlEngine;

const HOSTILE = [
  "plain",
  "quote ' and double \" and back\\slash",
  "new\nline\ttab\r",
  "nul\u0000byte",
  "ünïcødé ✓ 🚀",
  "`; DROP TABLE x; --",
  "",
];
const DAY = Date.UTC(2026, 0, 10) / 1000;

interface CopyRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const OVERRIDES = [
  "DRIFTWATCH_CONFIG",
  "DRIFTWATCH_CLICKHOUSE_URL",
  "DRIFTWATCH_CLICKHOUSE_DATABASE",
];

/**
 * Run `driftwatch copy --from <source> …args` in-process against `database` on the test stack's
 * server (in place of the run's own ClickHouse variables); exit code as the CLI would map it.
 */
async function copyInto(database: string, ...args: string[]): Promise<CopyRun> {
  const url = clickHouseUrl();
  const saved = OVERRIDES.map((name) => [name, process.env[name]] as const);
  for (const name of OVERRIDES) delete process.env[name];
  process.env.DRIFTWATCH_CLICKHOUSE_URL = url;
  process.env.DRIFTWATCH_CLICKHOUSE_DATABASE = database;
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
    await program.parseAsync([
      "node",
      "driftwatch",
      "copy",
      "--from",
      sourceServer!.url,
      "--source-database",
      SOURCE_DB,
      ...args,
    ]);
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

function copy(...args: string[]): Promise<CopyRun> {
  return copyInto(targetDatabase, ...args);
}

async function seedSource(): Promise<void> {
  const table = (name: string) => `${SOURCE_DB}.${name}`;
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
      alert_id: "a1",
      rule: "drift",
      model: "churn",
      model_version: "v1",
      feature: "amount",
      metric: "psi",
      severity: "warning",
      state: version === 1 ? "pending" : "firing",
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
      breaching_windows: version,
      clear_windows: 0,
      window_start: DAY,
      window_end: DAY + 3600,
      last_window_end_ms: 0,
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
}

/** Every row of the table as sorted JSON lines (FINAL for ReplacingMergeTree: merges may differ). */
async function contents(engine: SqlEngine, database: string, table: string): Promise<string[]> {
  const spec = COPIED_TABLES.find((t) => t.table === table)!;
  const final = spec.merge === "replacing" ? sql` FINAL` : sql``;
  const rows = await engine.query(sql`SELECT * FROM ${tableRef(database, table)}${final}`);
  return rows.map((row) => JSON.stringify(row)).sort();
}

async function keys(engine: SqlEngine, database: string, table: string): Promise<number> {
  const spec = COPIED_TABLES.find((t) => t.table === table)!;
  const columns = join(spec.identity.map((name) => ident(name)));
  const rows = await engine.query<{ n: number }>(
    sql`SELECT uniqExact(${columns}) AS n FROM ${tableRef(database, table)}`,
  );
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  sourceServer = await startPrivateClickHouse();
  source = createHttpEngine({ url: sourceServer.url, requestTimeoutMs: 60_000 });
  target = serverEngine();
  await applyMigrations(source, SOURCE_DB);
  await applyMigrations(target, targetDatabase);
  await seedSource();
}, 180_000);

afterAll(async () => {
  await source?.close();
  if (target !== undefined) {
    await dropDatabase(target, targetDatabase);
    await target.close();
  }
  await sourceServer?.destroy();
});

describe("driftwatch copy", () => {
  it("has --help naming the source, the tables and examples", async () => {
    const run = await copy("--help");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--from <clickhouse-url>");
    expect(run.stdout).toContain("--dry-run");
    for (const { table } of COPIED_TABLES) expect(run.stdout).toContain(table);
    expect(run.stdout).toContain(
      "driftwatch copy -c cluster.yaml --from http://old-clickhouse:8123",
    );
  });

  it("--dry-run lists the units to copy and writes nothing", async () => {
    const run = await copy("--dry-run");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("TO COPY predictions toYYYYMMDD(ts) = 20260110");
    expect(run.stdout).toContain("dry run: nothing written");
    const [row] = await target.query<{ n: number }>(
      sql`SELECT count() AS n FROM ${tableRef(targetDatabase, "predictions")}`,
    );
    expect(Number(row!.n)).toBe(0);
  });

  it("copies every table, exactly, in pages, with progress on stderr", async () => {
    const run = await copy("--page-keys", "200");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("verified: the target holds every source row");
    expect(run.stdout).toContain(
      "note: the target now marks the copied Kafka offsets of labels, predictions as stored",
    );
    expect(run.stderr).toMatch(/copy: predictions 20260110: 200\/\d+ keys/);
    for (const { table } of COPIED_TABLES) {
      expect(await contents(target, targetDatabase, table), table).toEqual(
        await contents(source, SOURCE_DB, table),
      );
    }
    // Unmerged resent predictions arrive as both versions; the exact duplicate dead letter too.
    const [counts] = await target.query<{
      predictions: number;
      dead: number;
      nan: number;
      raw: string;
    }>(
      sql`SELECT (SELECT count() FROM ${tableRef(targetDatabase, "predictions")}) AS predictions,
        (SELECT count() FROM ${tableRef(targetDatabase, "dead_letters")}) AS dead,
        (SELECT countIf(isNaN(prediction_value)) FROM ${tableRef(targetDatabase, "predictions")} FINAL) AS nan,
        (SELECT hex(raw) FROM ${tableRef(targetDatabase, "dead_letters")} WHERE offset = 10003) AS raw`,
    );
    expect(Number(counts!.predictions)).toBe(1540);
    expect(Number(counts!.dead)).toBe(HOSTILE.length + 1);
    expect(Number(counts!.nan)).toBe(Math.ceil(1500 / 11));
    expect(counts!.raw).toBe("00FFFE030A275C");
    // The catalog the target's view built matches the source's.
    expect(run.stdout).not.toContain("model_catalog");
  });

  it("a second run copies nothing", async () => {
    const before = await keys(target, targetDatabase, "predictions");
    const run = await copy();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /predictions: source 1500 keys \/ 1540 rows, target 1500 keys \/ \d+ rows; copied 0 keys/,
    );
    expect(run.stdout).not.toMatch(/copied [1-9]/);
    expect(await keys(target, targetDatabase, "predictions")).toBe(before);
    const [row] = await target.query<{ n: number }>(
      sql`SELECT count() AS n FROM ${tableRef(targetDatabase, "dead_letters")}`,
    );
    expect(Number(row!.n)).toBe(HOSTILE.length + 1);
  });

  it("--verify-only finds rows missing on the target; the next run copies only those back", async () => {
    await target.command(
      sql`ALTER TABLE ${tableRef(targetDatabase, "predictions")} DELETE WHERE toYYYYMMDD(ts) = 20260111 AND kafka_partition = 1`,
    );
    await waitForMutations(target, targetDatabase);
    const deleted = 1500 - (await keys(target, targetDatabase, "predictions"));
    expect(deleted).toBeGreaterThan(0);

    const check = await copy("--verify-only", "--settle-seconds", "0");
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("MISMATCH predictions toYYYYMMDD(ts) = 20260111");
    expect(check.stdout).toContain("verification FAILED");

    const run = await copy("--tables", "predictions", "--page-keys", "100");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`copied ${deleted} keys`);
    expect(run.stdout).toMatch(/already there/);
    expect(await contents(target, targetDatabase, "predictions")).toEqual(
      await contents(source, SOURCE_DB, "predictions"),
    );
  });

  it("refuses an unknown table and a target that was not migrated", async () => {
    const unknown = await copy("--tables", "predictions,nope");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown table "nope"');
    const unmigrated = await copyInto(uniqueDatabase("copy_none"));
    expect(unmigrated.code).toBe(2);
    expect(unmigrated.stderr).toContain("run `driftwatch migrate` against the target first");
  });
});

async function waitForMutations(engine: SqlEngine, database: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const [row] = await engine.query<{ n: number }>(
      sql`SELECT count() AS n FROM system.mutations WHERE database = ${database} AND is_done = 0`,
    );
    if (Number(row!.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("mutation did not finish");
}
