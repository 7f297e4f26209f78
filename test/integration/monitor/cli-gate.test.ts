// The built CLI against ClickHouse 18.16: `driftwatch status` exit codes (the pipeline gate) and
// `driftwatch reference set --file` — an uploaded copy of the fixed reference's rows gives the
// same drift figures as the fixed reference itself.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropDatabase, sql, tableRef, type SqlEngine } from "../../../src/store/index.js";
import { DATA_START, HOUR } from "../../support/clock.js";
import {
  configFor,
  driftResults,
  insertEvents,
  migrate,
  monitorFor,
} from "../../support/monitor.js";
import { clickHouseUrl, serverEngine, uniqueDatabase } from "../../support/stack.js";

const MODELS = `  - name: steady
    minRows: 50
    labelDelay: 0s
  - name: shifty
    minRows: 50
    labelDelay: 0s
`;
const CLI = join(process.cwd(), "dist/src/cli/main.js");

describe("driftwatch status and reference set (built CLI)", () => {
  let engine: SqlEngine;
  const database = uniqueDatabase("monitor_cli");
  const dir = mkdtempSync(join(tmpdir(), "dw-monitor-cli-"));
  const configPath = join(dir, "driftwatch.yaml");
  const clock = { now: DATA_START + 5 * HOUR + 1000 };

  const run = (args: string[], env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, [CLI, ...args, "--config", configPath], {
      env: {
        ...process.env,
        DRIFTWATCH_CLICKHOUSE_URL: clickHouseUrl(),
        DRIFTWATCH_CLICKHOUSE_DATABASE: database,
        DRIFTWATCH_LOG_LEVEL: "warn",
        ...env,
      },
      encoding: "utf8",
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(async () => {
    engine = serverEngine();
    await migrate(engine, database);
    writeFileSync(configPath, `models:\n${MODELS}`);
    for (const model of ["steady", "shifty"]) {
      await insertEvents(engine, database, {
        model,
        from: DATA_START,
        to: DATA_START + 4 * HOUR,
        rows: 2000,
        seed: 1,
      });
      await insertEvents(engine, database, {
        model,
        from: DATA_START + 4 * HOUR,
        to: DATA_START + 5 * HOUR,
        rows: 400,
        seed: 2,
        shift: model === "shifty" ? 1 : 0,
      });
    }
    const monitor = monitorFor(configFor(database, MODELS), engine, clock);
    for (const model of ["steady", "shifty"]) {
      await monitor.setReference(
        model,
        "1",
        { kind: "fixed", from: DATA_START, to: DATA_START + 4 * HOUR },
        { name: "test" },
      );
    }
    await monitor.tick();
  });

  afterAll(async () => {
    await dropDatabase(engine, database);
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("exits 0 when ok, 1 with --fail-on-drift when drifting, 2 on errors", () => {
    const steady = run(["status", "--model", "steady", "--fail-on-drift"]);
    expect(steady.stdout).toMatch(/^steady: ok \(version 1, window 2026-11-01T04:00:00.000Z/);
    expect(steady.code).toBe(0);

    const drifting = run(["status", "--model", "shifty", "--fail-on-drift"]);
    expect(drifting.stdout).toMatch(/^shifty: drifting/);
    expect(drifting.stdout).toMatch(/^ {2}x: wasserstein_normed \d/m);
    expect(drifting.code).toBe(1);
    expect(run(["status", "--model", "shifty"]).code).toBe(0);

    const json = run(["status", "--model", "shifty", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      model: "shifty",
      modelVersion: "1",
      state: "drifting",
    });

    const never = run(["status", "--model", "never-seen", "--fail-on-drift"]);
    expect([never.code, never.stdout.trim()]).toEqual([
      0,
      "never-seen: unknown\n  no window has been evaluated yet".trim(),
    ]);

    const badName = run(["status", "--model", "bad name", "--fail-on-drift"]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/model: must match/);
    const down = run(["status", "--model", "shifty"], {
      DRIFTWATCH_CLICKHOUSE_URL: "http://127.0.0.1:9",
    });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/status failed/);
  });

  it("an uploaded copy of the reference rows gives the fixed reference's figures", async () => {
    // A fresh connection pool after the long CLI runs above.
    await engine.close();
    engine = serverEngine();
    const rows = await engine.query<{ x: number; y: number; c: string; p: number }>(
      sql`SELECT num_values[1] AS x, num_values[2] AS y, cat_values[1] AS c, prediction_value AS p
  FROM ${tableRef(database, "predictions")}
  WHERE model = 'shifty' AND ts < toDateTime(${(DATA_START + 4 * HOUR) / 1000})`,
    );
    const file = join(dir, "reference.csv");
    writeFileSync(
      file,
      ["x,y,c,score", ...rows.map((r) => `${r.x},${r.y},"${r.c}",${r.p}`)].join("\n"),
    );
    const before = (await driftResults(engine, database, "shifty")).filter(
      (r) => r.ws === DATA_START + 4 * HOUR,
    );

    const set = run([
      "reference",
      "set",
      "--model",
      "shifty",
      "--version",
      "1",
      "--file",
      file,
      "--prediction-column",
      "score",
    ]);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ kind: "dataset", rows: 2000, model: "shifty" });

    const monitor = monitorFor(configFor(database, MODELS), engine, clock);
    await monitor.evaluate(
      "shifty",
      { name: "test" },
      { from: DATA_START + 4 * HOUR, to: DATA_START + 5 * HOUR },
    );
    const after = (await driftResults(engine, database, "shifty")).filter(
      (r) => r.ws === DATA_START + 4 * HOUR,
    );
    expect(after.length).toBe(before.length);
    for (const row of after) {
      const previous = before.find((b) => b.feature === row.feature && b.metric === row.metric)!;
      if (row.metric === "volume_ratio") continue; // a dataset has no time span
      expect(row.value, `${row.feature} ${row.metric}`).toBeCloseTo(previous.value, 10);
    }

    const bad = run([
      "reference",
      "set",
      "--model",
      "shifty",
      "--rolling-days",
      "7",
      "--from",
      "2026-11-01T00:00:00Z",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/exactly one of/);
  });
});
