// `driftwatch migrate`: prints each migration it applies, nothing the second time, and a config
// error or an unreachable server as a one-line failure (exit code 2 via CliError).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { registerMigrate } from "../../../src/cli/commands/migrate.js";
import { CliError } from "../../../src/cli/errors.js";
import { dropDatabase, MIGRATIONS } from "../../../src/store/index.js";
import { clickHouseUrl, serverEngine, uniqueDatabase } from "../../support/stack.js";

const dir = mkdtempSync(join(tmpdir(), "dw-migrate-"));
const database = uniqueDatabase("migrate_cli");

afterAll(async () => {
  const engine = serverEngine();
  await dropDatabase(engine, database);
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const OVERRIDES = [
  "DRIFTWATCH_CONFIG",
  "DRIFTWATCH_CLICKHOUSE_URL",
  "DRIFTWATCH_CLICKHOUSE_DATABASE",
];

/**
 * Run `driftwatch migrate …args` in-process with `env` in place of the test run's own ClickHouse
 * variables (which would otherwise override the config file); returns what it wrote on stdout.
 */
async function migrate(args: string[], env: Record<string, string> = {}): Promise<string> {
  const saved = OVERRIDES.map((name) => [name, process.env[name]] as const);
  for (const name of OVERRIDES) delete process.env[name];
  Object.assign(process.env, env);
  try {
    return await runMigrate(args);
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function runMigrate(args: string[]): Promise<string> {
  let output = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output += String(chunk);
    return true;
  });
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeOut: (text) => (output += text) });
  registerMigrate(program);
  await program.parseAsync(["node", "driftwatch", "migrate", ...args]);
  return output;
}

function configFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("driftwatch migrate", () => {
  it("applies every migration once and says so, then reports the schema up to date", async () => {
    const config = configFile(
      "ok.yaml",
      `clickhouse:\n  url: ${clickHouseUrl()}\n  database: ${database}\n`,
    );
    const first = await migrate(["--config", config]);
    for (const migration of MIGRATIONS) {
      expect(first).toContain(
        `applied ${String(migration.version).padStart(3, "0")} ${migration.name}`,
      );
    }
    expect(first).toContain(`database ${database}: ${MIGRATIONS.length} migration(s) applied`);
    const second = await migrate(["--config", config, "--retention"]);
    expect(second).not.toContain("applied 0");
    expect(second).toContain(`database ${database} is up to date`);
    expect(second).toContain("retention: nothing to drop");
  });

  it("an invalid config stops it with the YAML path and reason", async () => {
    const config = configFile("bad.yaml", "clickhouse:\n  database: 'drift-watch'\n");
    const error = await migrate(["--config", config]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(
      /^config error at clickhouse\.database \(line 2, column 13\): must be a ClickHouse identifier/,
    );
  });

  it("an unreachable server (named by the environment) is a clear failure", async () => {
    const config = configFile("down.yaml", "clickhouse:\n  requestTimeoutMs: 2000\n");
    const error = await migrate(["--config", config], {
      DRIFTWATCH_CLICKHOUSE_URL: "http://127.0.0.1:1",
      DRIFTWATCH_CLICKHOUSE_DATABASE: database,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(
      /^migrate failed: ClickHouse at http:\/\/127\.0\.0\.1:1 is unreachable/,
    );
  });

  it("has --help", async () => {
    const error = await migrate(["--help"]).catch((caught: unknown) => caught);
    expect((error as { exitCode?: number }).exitCode).toBe(0);
  });
});
