// `driftwatch copy --from <url>` between two real ClickHouse servers: a private 18.16 server holds
// the "old single node" (every copied table, duplicates, hostile text, NaN and raw bytes), the
// test stack's server is the target (a fresh database). The built CLI copies everything, a second
// run copies nothing, rows deleted from the target are found by --verify-only (exit 1) and put
// back by the next run, and --dry-run writes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateClickHouse, type PrivateClickHouse } from "../../../src/stack/index.js";
import {
  applyMigrations,
  createHttpEngine,
  dropDatabase,
  MIGRATIONS,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { COPIED_TABLES } from "../../../src/cli/copy/index.js";
import { clickHouseUrl, serverEngine, uniqueDatabase } from "../../support/stack.js";
import {
  ALERT_CHANGE,
  contents,
  DAY,
  HOSTILE,
  entries,
  keys,
  LONG_AUDIT_ENTRIES,
  runCopyCommand,
  seedCopySource,
  type CopyRun,
} from "../../support/copy-data.js";

const SOURCE_DB = "driftwatch_old";
const targetDatabase = uniqueDatabase("copy");
let sourceServer: PrivateClickHouse | undefined;
let source: SqlEngine;
let target: SqlEngine;

/** `driftwatch copy --from <source> …args` in-process into `database` on the test stack's server. */
function copyInto(database: string, ...args: string[]): Promise<CopyRun> {
  return runCopyCommand(
    { DRIFTWATCH_CLICKHOUSE_URL: clickHouseUrl(), DRIFTWATCH_CLICKHOUSE_DATABASE: database },
    ["--from", sourceServer!.url, "--source-database", SOURCE_DB, ...args],
  );
}

function copy(...args: string[]): Promise<CopyRun> {
  return copyInto(targetDatabase, ...args);
}

beforeAll(async () => {
  sourceServer = await startPrivateClickHouse();
  source = createHttpEngine({ url: sourceServer.url, requestTimeoutMs: 60_000 });
  target = serverEngine();
  await applyMigrations(source, SOURCE_DB);
  await applyMigrations(target, targetDatabase);
  await seedCopySource(source, SOURCE_DB);
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
    expect(run.stderr).toMatch(
      /copy: predictions 20260110 \(unit 1\/3, 500 keys \/ 514 rows\): 200 entries copied, 0 already there/,
    );
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
    const json = await copy("--json", "--tables", "labels");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      mode: "copy",
      ok: true,
      tables: [{ table: "labels", copiedKeys: 0, source: { keys: 301 }, target: { keys: 301 } }],
      kafkaTopics: [],
    });
    const run = await copy();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /predictions: source 1500 keys \/ 1540 rows, target 1500 keys \/ \d+ rows; copied 0 entries/,
    );
    expect(run.stdout).not.toMatch(/copied [1-9]/);
    expect(await keys(target, targetDatabase, "predictions")).toBe(before);
    const [row] = await target.query<{ n: number }>(
      sql`SELECT count() AS n FROM ${tableRef(targetDatabase, "dead_letters")}`,
    );
    expect(Number(row!.n)).toBe(HOSTILE.length + 1);
  });

  it("a version written to the source after the copy is copied by the next run", async () => {
    await source.insert(`${SOURCE_DB}.alerts`, [
      { ...ALERT_CHANGE, state: "resolved", resolved_at: DAY + 9, updated_at: DAY + 9, version: 3 },
    ]);
    const check = await copy("--verify-only", "--tables", "alerts", "--settle-seconds", "0");
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("MISMATCH alerts (all): source 1 keys / 3 rows, target 1 keys");
    expect(check.stdout).toContain("(other latest versions)");
    const run = await copy("--tables", "alerts");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("copied 1 entries, 2 already there");
    const [alert] = await target.query<{ state: string }>(
      sql`SELECT state FROM ${tableRef(targetDatabase, "alerts")} FINAL`,
    );
    expect(alert?.state).toBe("resolved");
  });

  it("--verify-only finds rows missing on the target; the next run copies only those back", async () => {
    await target.command(
      sql`ALTER TABLE ${tableRef(targetDatabase, "predictions")} DELETE WHERE toYYYYMMDD(ts) = 20260111 AND kafka_partition = 1`,
    );
    await target.command(
      sql`ALTER TABLE ${tableRef(targetDatabase, "audit_log")} DELETE WHERE actor = 'pipeline'`,
    );
    await target.command(
      sql`ALTER TABLE ${tableRef(targetDatabase, "labels")} DELETE WHERE event_id = unhex('FF00FE41')`,
    );
    await waitForMutations(target, targetDatabase);
    const deleted = 1540 - (await entries(target, targetDatabase, "predictions"));
    expect(deleted).toBeGreaterThan(0);

    const check = await copy("--verify-only", "--settle-seconds", "0");
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("MISMATCH predictions toYYYYMMDD(ts) = 20260111");
    expect(check.stdout).toContain("verification FAILED");

    const run = await copy("--tables", "predictions,audit_log,labels", "--page-keys", "100");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`copied ${deleted} entries`);
    // The missing long entries of a unit the target partly holds: several IN lists.
    expect(run.stdout).toMatch(
      new RegExp(
        `audit_log: .*; copied ${LONG_AUDIT_ENTRIES} entries, ${HOSTILE.length} already there`,
      ),
    );
    // The key that is not UTF-8 is found missing (in its day, the only unit that differs) and
    // copied by its exact bytes.
    expect(run.stdout).toMatch(/labels: source 301 keys .*; copied 1 entries, 100 already there/);
    const [bytes] = await target.query<{ n: number }>(
      sql`SELECT count() AS n FROM ${tableRef(targetDatabase, "labels")} WHERE event_id = unhex('FF00FE41')`,
    );
    expect(Number(bytes!.n)).toBe(1);
    expect(await contents(target, targetDatabase, "audit_log")).toEqual(
      await contents(source, SOURCE_DB, "audit_log"),
    );
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

describe("driftwatch copy between schemas of different ages", () => {
  const olderDatabase = "driftwatch_older";
  const newerTarget = uniqueDatabase("copy_newer");

  beforeAll(async () => {
    // An install from before migration 9 (no estimate columns), with a column of its own.
    await applyMigrations(source, olderDatabase, { migrations: MIGRATIONS.slice(0, 8) });
    await source.command(
      sql`ALTER TABLE ${tableRef(olderDatabase, "performance_results")} ADD COLUMN legacy_note String`,
    );
    await source.insert(`${olderDatabase}.performance_results`, [
      {
        model: "churn",
        model_version: "v1",
        window_start: DAY,
        window_end: DAY + 3600,
        metric: "accuracy",
        value: 0.5,
        reference_value: 0.75,
        n_labelled: 10,
        p_value: 0.01,
        computed_at: DAY + 3700,
        legacy_note: "not in the new schema",
      },
    ]);
    await applyMigrations(target, newerTarget);
  });

  afterAll(async () => {
    await dropDatabase(target, newerTarget);
  });

  it("copies the columns both have; the target's newer columns get their defaults", async () => {
    const run = await runCopyCommand(
      { DRIFTWATCH_CLICKHOUSE_URL: clickHouseUrl(), DRIFTWATCH_CLICKHOUSE_DATABASE: newerTarget },
      ["--from", sourceServer!.url, "--source-database", olderDatabase],
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("not copied (target lacks): legacy_note");
    expect(run.stdout).toContain(
      "left to defaults (source lacks): band_lower, band_upper, threshold_lower, threshold_upper, alert",
    );
    const rows = await target.query<{ value: number; band_lower: number | null; alert: number }>(
      sql`SELECT value, band_lower, isNaN(band_lower) AS nan, alert FROM ${tableRef(newerTarget, "performance_results")}`,
    );
    expect(rows).toEqual([{ value: 0.5, band_lower: null, nan: 1, alert: 0 }]);
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
