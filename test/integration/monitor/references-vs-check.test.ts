// Fixed, rolling and uploaded references on ClickHouse 18.16: the monitor's figures for a shifted
// window equal what the built `driftwatch check` CLI reports on the same rows exported from
// ClickHouse to CSV files (every event once, however often it was stored). A fixed range and the
// rolling days must take exactly the rows of their time range and model version; an uploaded
// file must be compared as it was uploaded.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dropDatabase,
  ident,
  join as joinSql,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { DATA_START, HOUR } from "../../support/clock.js";
import {
  configFor,
  CREDIT_FEATURES,
  driftResults,
  insertCreditEvents,
  migrate,
  monitorFor,
} from "../../support/monitor.js";
import { clickHouseUrl, serverEngine, uniqueDatabase } from "../../support/stack.js";

const DAY = 24 * HOUR;
/** The evaluated window: hour 30 after DATA_START, 500 distinct events (= exactRowLimit), shifted. */
const WINDOW = { from: DATA_START + 30 * HOUR, to: DATA_START + 31 * HOUR };
const WINDOW_ROWS = 500;
const SHIFT = 0.5;
/** Fixed reference: hours 2…5, 300 events an hour (1200: distance rules decide). */
const FIXED = { from: DATA_START + 2 * HOUR, to: DATA_START + 6 * HOUR, rowsPerHour: 300 };
/** Uploaded reference: a file of 800 events (p-value rules decide). */
const UPLOAD_SOURCE = { from: DATA_START, hours: 4, rows: 200 };
/** Rolling reference: the day before the window, 40 events an hour (960: p-value rules). */
const ROLLING_DAYS = 1;
const ROLLING_ROWS_PER_HOUR = 40;

const MODELS = `  - name: ref-fixed
    backfillWindows: 1
    exactRowLimit: ${WINDOW_ROWS}
  - name: ref-rolling
    backfillWindows: 1
    exactRowLimit: ${WINDOW_ROWS}
    reference:
      rollingDays: ${ROLLING_DAYS}
  - name: ref-uploaded
    backfillWindows: 1
    exactRowLimit: ${WINDOW_ROWS}
`;
const CLI = join(process.cwd(), "bin/driftwatch");
/** The prediction's column in the files (the monitor compares it as feature `_prediction`). */
const PREDICTION_COLUMN = "prediction";

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface CheckColumn {
  kind: "numeric" | "categorical";
  computable: boolean;
  n_reference: number;
  n_current: number;
  missing_reference: number;
  missing_current: number;
  psi: number;
  js: number;
  ks?: { statistic: number; p_value: number };
  wasserstein?: number;
  wasserstein_normed?: number;
  chi2?: { statistic: number; p_value: number };
  test: string;
  drifted: boolean;
}

interface CheckReport {
  columns: Record<string, CheckColumn>;
  drift_share: number;
  drifted: boolean;
}

describe("fixed, rolling and uploaded references against `driftwatch check` (built CLI)", () => {
  let engine: SqlEngine;
  const database = uniqueDatabase("ref_check");
  const dir = mkdtempSync(join(tmpdir(), "dw-ref-check-"));
  const configPath = join(dir, "driftwatch.yaml");
  const clock = { now: WINDOW.to + 60_000 };

  const run = (args: string[]): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(CLI, args, {
        env: {
          ...process.env,
          DRIFTWATCH_CLICKHOUSE_URL: clickHouseUrl(),
          DRIFTWATCH_CLICKHOUSE_DATABASE: database,
          DRIFTWATCH_LOG_LEVEL: "warn",
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });

  /**
   * The stored events of (model, version) with from ≤ ts < to, each event_id once, as a CSV file
   * with one column per feature (an empty cell where the feature is missing) and the prediction.
   */
  const exportEvents = async (
    model: string,
    version: string,
    from: number,
    to: number,
    file: string,
  ): Promise<number> => {
    const numeric = CREDIT_FEATURES.numeric.map(
      (name) =>
        sql`if(has(num_names, ${name}), num_values[indexOf(num_names, ${name})], NULL) AS ${ident(name)}`,
    );
    const categorical = CREDIT_FEATURES.categorical.map(
      (name) =>
        sql`if(has(cat_names, ${name}), cat_values[indexOf(cat_names, ${name})], NULL) AS ${ident(name)}`,
    );
    const query = sql`SELECT ${joinSql([...numeric, ...categorical])},
    prediction_value AS ${ident(PREDICTION_COLUMN)}
  FROM (SELECT * FROM ${tableRef(database, "predictions")}
    WHERE model = ${model} AND model_version = ${version}
      AND ts >= toDateTime(${from / 1000}) AND ts < toDateTime(${to / 1000})
    ORDER BY event_id LIMIT 1 BY event_id)
  FORMAT CSVWithNames`;
    const response = await fetch(clickHouseUrl(), { method: "POST", body: query.text });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    // ClickHouse writes NULL as \N; in the files a missing value is an empty cell.
    const csv = text.replace(/(^|,)\\N(?=,|$)/gm, "$1");
    writeFileSync(file, csv);
    return csv.trim().split("\n").length - 1;
  };

  beforeAll(async () => {
    engine = serverEngine();
    await migrate(engine, database);
    writeFileSync(configPath, `models:\n${MODELS}`);
    const insert = (
      model: string,
      from: number,
      hours: number,
      rows: number,
      seed: number,
      extra: { version?: string; shift?: number } = {},
    ) =>
      insertCreditEvents(engine, database, {
        model,
        from,
        hours,
        rowsPerHour: { mid: rows },
        seed,
        ...extra,
      });
    // The shifted window of each model.
    await insert("ref-fixed", WINDOW.from, 1, WINDOW_ROWS, 1, { shift: SHIFT });
    await insert("ref-rolling", WINDOW.from, 1, WINDOW_ROWS, 2, { shift: SHIFT });
    await insert("ref-uploaded", WINDOW.from, 1, WINDOW_ROWS, 3, { shift: SHIFT });
    // Fixed: the range, and far-off rows just outside it on both sides.
    const fixedHours = (FIXED.to - FIXED.from) / HOUR;
    await insert("ref-fixed", FIXED.from, fixedHours, FIXED.rowsPerHour, 11);
    await insert("ref-fixed", FIXED.from - 2 * HOUR, 2, FIXED.rowsPerHour, 12, { shift: 3 });
    await insert("ref-fixed", FIXED.to, 2, FIXED.rowsPerHour, 13, { shift: 3 });
    // Rolling: the day before the window; before it, and another version inside it, far off.
    const rollingFrom = WINDOW.from - ROLLING_DAYS * DAY;
    await insert("ref-rolling", rollingFrom, 24 * ROLLING_DAYS, ROLLING_ROWS_PER_HOUR, 21);
    await insert("ref-rolling", rollingFrom - 3 * HOUR, 3, ROLLING_ROWS_PER_HOUR, 22, { shift: 3 });
    await insert("ref-rolling", rollingFrom, 24 * ROLLING_DAYS, 10, 23, {
      version: "2",
      shift: 3,
    });
    // Uploaded: rows of another model, exported to the file that is uploaded (after a stale one).
    const { from, hours, rows } = UPLOAD_SOURCE;
    await insert("upload-source", from, hours, rows, 31);
    await insert("upload-source", from, hours, rows, 32, { version: "stale", shift: 3 });
    // Every tenth event stored twice: a producer's resend (same event_id, new offset) of an event
    // without its own timestamp, so stamped with its Kafka time a second later — a copy no
    // background merge collapses (ts is part of the table's key); the monitor must skip it.
    await engine.command(sql`INSERT INTO ${tableRef(database, "predictions")}
  SELECT model, model_version, event_id, ts + 1, ts_ms, num_names, num_values, cat_names, cat_values,
    missing_names, prediction, prediction_value, label, label_value, kafka_topic, kafka_partition,
    kafka_offset + 10000000, ingested_at
  FROM ${tableRef(database, "predictions")} WHERE cityHash64(event_id) % 10 = 0`);
  });

  afterAll(async () => {
    await dropDatabase(engine, database);
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives check's figures on the exported rows for each kind of reference", async () => {
    // Each model's reference is set twice, first to far-off rows: the second one is in force.
    const upload = async (version: string, file: string) => {
      const rows = await exportEvents(
        "upload-source",
        version,
        UPLOAD_SOURCE.from,
        UPLOAD_SOURCE.from + UPLOAD_SOURCE.hours * HOUR,
        file,
      );
      const set = await run([
        "reference",
        "set",
        "--model",
        "ref-uploaded",
        "--version",
        "1",
        "--file",
        file,
        "--prediction-column",
        PREDICTION_COLUMN,
        "--config",
        configPath,
      ]);
      expect(set.code, set.stderr).toBe(0);
      expect(JSON.parse(set.stdout)).toMatchObject({ kind: "dataset", rows });
      return rows;
    };
    await upload("stale", join(dir, "stale-reference.csv"));
    const uploadFile = join(dir, "uploaded-reference.csv");
    const uploadRows = await upload("1", uploadFile);
    expect(uploadRows).toBe(UPLOAD_SOURCE.hours * UPLOAD_SOURCE.rows);

    // The fixed reference: first the far-off hours before the range, a second later the range.
    const monitor = monitorFor(configFor(database, MODELS), engine, clock);
    const fixed = { kind: "fixed" as const, from: FIXED.from, to: FIXED.to };
    clock.now -= 1000;
    await monitor.setReference(
      "ref-fixed",
      "1",
      { ...fixed, from: FIXED.from - 2 * HOUR, to: FIXED.from },
      { name: "test" },
    );
    clock.now += 1000;
    await monitor.setReference("ref-fixed", "1", fixed, { name: "test" });
    // The rolling model has no reference set: its config's rollingDays apply.
    expect(await monitor.getReference("ref-rolling", "1")).toBeUndefined();
    const summaries = await monitor.tick();
    await monitor.stop();
    expect(
      summaries.map((summary) => [summary.model, summary.windowStart, summary.rows]).sort(),
    ).toEqual([
      ["ref-fixed", WINDOW.from, WINDOW_ROWS],
      ["ref-rolling", WINDOW.from, WINDOW_ROWS],
      ["ref-uploaded", WINDOW.from, WINDOW_ROWS],
    ]);

    const cases = [
      {
        model: "ref-fixed",
        reference: { from: FIXED.from, to: FIXED.to, version: "1" },
        rows: ((FIXED.to - FIXED.from) / HOUR) * FIXED.rowsPerHour,
      },
      {
        model: "ref-rolling",
        reference: { from: WINDOW.from - ROLLING_DAYS * DAY, to: WINDOW.from, version: "1" },
        rows: 24 * ROLLING_DAYS * ROLLING_ROWS_PER_HOUR,
      },
      { model: "ref-uploaded", reference: uploadFile, rows: uploadRows },
    ];
    for (const { model, reference, rows } of cases) {
      let referenceFile: string;
      if (typeof reference === "string") referenceFile = reference;
      else {
        referenceFile = join(dir, `${model}-reference.csv`);
        expect(
          await exportEvents(model, reference.version, reference.from, reference.to, referenceFile),
        ).toBe(rows);
      }
      const currentFile = join(dir, `${model}-current.csv`);
      expect(await exportEvents(model, "1", WINDOW.from, WINDOW.to, currentFile)).toBe(WINDOW_ROWS);
      const check = await run([
        "check",
        "--reference",
        referenceFile,
        "--current",
        currentFile,
        "--json",
      ]);
      expect([0, 1], check.stderr).toContain(check.code);
      const report = JSON.parse(check.stdout) as CheckReport;
      expect(check.code, "check's exit code").toBe(report.drifted ? 1 : 0);
      compare(model, report, rows, await driftResults(engine, database, model));
    }
  });

  function compare(
    model: string,
    report: CheckReport,
    referenceRows: number,
    results: Awaited<ReturnType<typeof driftResults>>,
  ): void {
    const inWindow = results.filter((row) => row.ws === WINDOW.from);
    const monitorFeature = (column: string) =>
      column === PREDICTION_COLUMN ? "_prediction" : column;
    const features = [...new Set(inWindow.map((row) => row.feature))].filter(
      (feature) => feature !== "_dataset",
    );
    expect(features.sort(), `${model}: features`).toEqual(
      Object.keys(report.columns).map(monitorFeature).sort(),
    );
    // The window has a shift to find (not a comparison of two quiet samples).
    expect(report.columns.score?.drifted, `${model}: score shifted`).toBe(true);

    for (const [column, expected] of Object.entries(report.columns)) {
      const feature = monitorFeature(column);
      const label = `${model} ${feature}`;
      expect(expected.computable, label).toBe(true);
      expect(expected.n_reference + expected.missing_reference, label).toBe(referenceRows);
      expect(expected.n_current + expected.missing_current, label).toBe(WINDOW_ROWS);
      const rows = inWindow.filter((row) => row.feature === feature);
      const value = (metric: string) => {
        const row = rows.find((candidate) => candidate.metric === metric);
        expect(row, `${label}: ${metric} stored`).toBeDefined();
        return row!.value;
      };
      const close = (metric: string, want: number | undefined, tolerance = 1e-9) =>
        expectRelative(value(metric), want, tolerance, `${label}: ${metric}`);
      close("psi", expected.psi);
      close("js", expected.js);
      if (expected.kind === "numeric") {
        close("ks_statistic", expected.ks?.statistic);
        close("ks_p_value", expected.ks?.p_value, 1e-6);
        close("wasserstein", expected.wasserstein);
        close("wasserstein_normed", expected.wasserstein_normed);
      } else {
        close("chi2_statistic", expected.chi2?.statistic);
        close("chi2_p_value", expected.chi2?.p_value, 1e-6);
      }
      close(
        "missing_share",
        expected.missing_current / (expected.n_current + expected.missing_current),
      );
      // The same test decided, with the same verdict.
      const deciding = rows.filter((row) => row.threshold !== 0 && row.metric !== "psi");
      expect(
        deciding.map((row) => [row.metric, row.drifted]),
        `${label}: deciding test and verdict`,
      ).toEqual([[metricOf(expected.test), expected.drifted ? 1 : 0]]);
    }
    const share = inWindow.find(
      (row) => row.feature === "_dataset" && row.metric === "drift_share",
    );
    expect(share, `${model}: drift_share stored`).toBeDefined();
    expectRelative(share!.value, report.drift_share, 1e-9, `${model}: drift_share`);
    expect(share!.drifted, `${model}: dataset verdict`).toBe(report.drifted ? 1 : 0);
  }
});

function metricOf(test: string): string {
  return test === "ks" ? "ks_p_value" : test === "chi2" ? "chi2_p_value" : test;
}

function expectRelative(
  actual: number,
  expected: number | undefined,
  tolerance: number,
  label: string,
): void {
  expect(typeof expected, `${label}: reported by check`).toBe("number");
  expect(Number.isFinite(actual), `${label}: ${actual} finite`).toBe(true);
  const scale = Math.max(Math.abs(actual), Math.abs(expected!));
  expect(
    Math.abs(actual - expected!),
    `${label}: monitor ${actual}, check ${expected}`,
  ).toBeLessThanOrEqual(tolerance * scale);
}
