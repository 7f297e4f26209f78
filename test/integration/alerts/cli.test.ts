// `driftwatch alerts …` in-process: `test --receiver` reaches a local Slack Web API server with the
// token from the environment; `list` shows firing and pending alerts from ClickHouse; silences are
// created, listed and expired (each change in the audit log); unknown receivers and bad matchers
// are one-line errors.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { userInfo } from "node:os";
import { Command } from "commander";
import { AuditLog } from "../../../src/audit/index.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerAlerts } from "../../../src/cli/commands/alerts.js";
import { CliError } from "../../../src/cli/errors.js";
import { applyMigrations, dropDatabase, type SqlEngine } from "../../../src/store/index.js";
import { AlertStateStore } from "../../../alerts/store/alert-state-store.js";
import { SlackApiServer } from "../../support/peers.js";
import { serverEngine, uniqueDatabase } from "../../support/stack.js";

const dir = mkdtempSync(join(tmpdir(), "dw-alerts-cli-"));
const database = uniqueDatabase("alerts_cli");
const slack = new SlackApiServer();
let sqlEngine: SqlEngine;
let configFile: string;
const TOKEN = "xoxb-cli-test-token-987";

beforeAll(async () => {
  sqlEngine = serverEngine();
  await applyMigrations(sqlEngine, database);
  const apiUrl = await slack.start();
  configFile = join(dir, "driftwatch.yaml");
  writeFileSync(
    configFile,
    `clickhouse:
  database: ${database}
alerts:
  slackApiUrl: ${apiUrl}
  receivers:
    - name: ml-team
      slack:
        token: \${DW_TEST_SLACK_TOKEN}
        channel: "#ml"
  delivery:
    initialBackoff: 10ms
`,
  );
});
afterAll(async () => {
  await slack.stop();
  await dropDatabase(sqlEngine, database);
  await sqlEngine.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ output: string; error?: CliError }> {
  let output = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output += String(chunk);
    return true;
  });
  const saved = {
    token: process.env.DW_TEST_SLACK_TOKEN,
    database: process.env.DRIFTWATCH_CLICKHOUSE_DATABASE,
  };
  process.env.DW_TEST_SLACK_TOKEN = TOKEN;
  process.env.DRIFTWATCH_CLICKHOUSE_DATABASE = database;
  try {
    const program = new Command()
      .exitOverride()
      .configureOutput({ writeOut: (text) => (output += text) });
    registerAlerts(program);
    await program.parseAsync(["node", "driftwatch", "alerts", ...args]);
    return { output };
  } catch (error) {
    if (error instanceof CliError) return { output, error };
    throw error;
  } finally {
    spy.mockRestore();
    if (saved.token === undefined) delete process.env.DW_TEST_SLACK_TOKEN;
    else process.env.DW_TEST_SLACK_TOKEN = saved.token;
    if (saved.database === undefined) delete process.env.DRIFTWATCH_CLICKHOUSE_DATABASE;
    else process.env.DRIFTWATCH_CLICKHOUSE_DATABASE = saved.database;
  }
}

describe("driftwatch alerts", () => {
  it("test --receiver sends a sample notification", async () => {
    const { output, error } = await run(["test", "--receiver", "ml-team", "--config", configFile]);
    expect(error).toBeUndefined();
    expect(output).toBe("ml-team/slack: delivered (1 attempt)\n");
    expect(slack.calls).toHaveLength(1);
    expect(slack.calls[0]).toMatchObject({
      token: TOKEN,
      channel: "#ml",
      text: "[FIRING:2] driftwatch-test on driftwatch-test",
    });
  });

  it("test reports a failing integration with exit code 1 and an unknown receiver with 2", async () => {
    slack.script.push({
      status: 200,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ok: false, error: "channel_not_found" }),
    });
    const failed = await run(["test", "--receiver", "ml-team", "--config", configFile]);
    expect(failed.output).toBe(
      "ml-team/slack: FAILED (client_error, 1 attempt): slack error channel_not_found\n",
    );
    expect(failed.error?.exitCode).toBe(1);
    const unknown = await run(["test", "--receiver", "nobody", "--config", configFile]);
    expect(unknown.error?.message).toBe('unknown receiver "nobody" (configured: ml-team)');
    expect(unknown.error?.exitCode).toBe(2);
  });

  it("list shows firing and pending alerts from ClickHouse", async () => {
    const now = Date.UTC(2026, 10, 23, 8, 0, 0);
    const base = {
      rule: "feature-drift",
      breachingWindows: 1,
      clearWindows: 0,
      threshold: 0.2,
      annotations: {},
      features: [],
      activeAt: now,
      updatedAt: now,
    };
    await new AlertStateStore(sqlEngine, database).write([
      {
        ...base,
        fingerprint: "a1",
        state: "firing",
        value: 0.31,
        labels: {
          alertname: "feature-drift",
          model: "credit",
          feature: "income",
          metric: "psi",
          severity: "warning",
        },
      },
      {
        ...base,
        fingerprint: "a2",
        state: "pending",
        value: 0.25,
        labels: {
          alertname: "feature-drift",
          model: "credit",
          feature: "age",
          metric: "psi",
          severity: "warning",
        },
      },
      {
        ...base,
        fingerprint: "a3",
        state: "resolved",
        value: 0.01,
        labels: {
          alertname: "feature-drift",
          model: "credit",
          feature: "zip",
          metric: "psi",
          severity: "warning",
        },
      },
    ]);
    const { output, error } = await run(["list", "--config", configFile]);
    expect(error).toBeUndefined();
    expect(output.split("\n")).toEqual([
      "STATE    SEVERITY  RULE           MODEL   FEATURE  VALUE  THRESHOLD  SINCE",
      "firing   warning   feature-drift  credit  income   0.31   0.2        2026-11-23T08:00:00.000Z",
      "pending  warning   feature-drift  credit  age      0.25   0.2        2026-11-23T08:00:00.000Z",
      "",
    ]);
    const json = await run(["list", "--json", "--state", "resolved", "--config", configFile]);
    expect(JSON.parse(json.output)).toMatchObject({
      fingerprint: "a3",
      state: "resolved",
      feature: "zip",
    });
    const bad = await run(["list", "--state", "burning", "--config", configFile]);
    expect(bad.error?.message).toMatch(
      /^states\[0\]: must be one of inactive, pending, firing, resolved/,
    );
  });

  it("silence add, list and expire, each change in the audit log with who made it", async () => {
    const added = await run([
      "silence",
      "add",
      "-m",
      "model=credit",
      'feature=~"inc.*"',
      "--author",
      "ana",
      "--comment",
      "promo week",
      "--duration",
      "2h",
      "--config",
      configFile,
    ]);
    expect(added.error).toBeUndefined();
    const id = /^silence (\S+) active until /.exec(added.output)![1]!;
    const listed = await run(["silence", "list", "--json", "--config", configFile]);
    expect(JSON.parse(listed.output)).toMatchObject({
      id,
      status: "active",
      createdBy: "ana",
      matchers: [
        { name: "model", op: "=", value: "credit" },
        { name: "feature", op: "=~", value: "inc.*" },
      ],
    });
    expect((await run(["silence", "expire", id, "--config", configFile])).output).toMatch(
      new RegExp(`^silence ${id} expired at `),
    );
    expect((await run(["silence", "list", "--config", configFile])).output).toBe("no silences\n");
    // The author for the creation, the OS user (cli:<user>) for an expiry without --author.
    const audit = await new AuditLog(sqlEngine, database).list({ target: id });
    expect(audit.map((entry) => [entry.action, entry.actor]).sort()).toEqual([
      ["silence.create", "ana"],
      ["silence.expire", `cli:${userInfo().username}`],
    ]);
    expect(audit.find((entry) => entry.action === "silence.create")?.detail).toMatchObject({
      comment: "promo week",
      matchers: [
        { name: "model", op: "=", value: "credit" },
        { name: "feature", op: "=~", value: "inc.*" },
      ],
    });
    const bad = await run([
      "silence",
      "add",
      "-m",
      "model",
      "--author",
      "a",
      "--comment",
      "c",
      "--config",
      configFile,
    ]);
    expect(bad.error?.message).toMatch(/^matchers\[0\]: invalid matcher "model"/);
  });
});
