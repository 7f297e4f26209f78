// The HTTP API fuzzed from its own OpenAPI document by schemathesis (pinned in
// scripts/fuzz/requirements.txt, installed into <stack dir>/fuzz-venv on first use), against a
// real `driftwatch serve --role all` on private servers: a migrated database, tokens of every
// role, two models with events, results, a firing alert and a silence (put in through the API).
// Once per token level — admin, read, none — with every check (`--checks all`), positive and
// negative data (`--mode all`), 20 examples per operation and a fixed seed: no 5xx, no request
// over its timeout, every status, header, content type and body as documented, invalid input
// refused, auth enforced. Failures already reported (scripts/fuzz/known-failures.json, each with
// its test in test/integration/api/fuzz-regressions.test.ts) are schemathesis's baseline; any
// other failure fails the level and prints schemathesis's report. Reports, the VCR cassette and
// crash files for `st replay` are kept in <stack dir>/fuzz-reports/heavy/<level>/.
// `npm run fuzz` (scripts/fuzz/run-api-fuzz.mjs) is the long version.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiRequestCount,
  baselineEntries,
  describeRun,
  ensureSchemathesis,
  fuzzConfigYaml,
  runPassed,
  runSchemathesis,
  schemathesisArgs,
  seedThroughApi,
  shellLine,
  stackDir,
  startSink,
  type Schemathesis,
  type SchemathesisRun,
  type Sink,
} from "../../scripts/fuzz/fuzz-lib.mjs";
import { exitWithin, runDriftwatch } from "../support/cli.js";
import { killServeChildren, type ServeChild, startServe } from "../support/serve.js";
import { TOKEN_ENV, TOKENS } from "../support/tokens.js";
import { startPrivateServers, type PrivateServers } from "./private-servers.js";

const SEED = 20261123;
const MAX_EXAMPLES = 20;
/** One level takes about 10-20 s here: far below this, which still ends a hung run. */
const LEVEL_TIMEOUT_MS = 180_000;
const LEVELS = [
  { level: "admin", token: TOKENS.admin },
  { level: "read", token: TOKENS.reader },
  { level: "none", token: undefined },
] as const;

let schemathesis: Schemathesis;
let servers: PrivateServers | undefined;
let sink: Sink | undefined;
let serve: ServeChild;
let configDir: string | undefined;
/** Known failures (baseline ids) each level reproduced, and the levels that got a report. */
const knownSeen = new Map<string, Set<string>>();
const reported = new Set<string>();

function log(message: string): void {
  console.log(`fuzz-api: ${message}`);
}

beforeAll(async () => {
  const began = Date.now();
  // Install (first use) while the servers start.
  const [installed, started] = await Promise.all([
    ensureSchemathesis({ log }),
    startPrivateServers(),
  ]);
  schemathesis = installed;
  servers = started;
  sink = await startSink();
  configDir = mkdtempSync(join(tmpdir(), "dw-fuzz-api-"));
  const config = join(configDir, "driftwatch.yaml");
  writeFileSync(
    config,
    fuzzConfigYaml({
      clickhouseUrl: servers.clickhouse.url,
      brokers: servers.kafka.brokers,
      database: "driftwatch_fuzz",
      sinkUrl: sink.url,
    }),
  );
  const migrate = runDriftwatch(["migrate", "--config", config], undefined, TOKEN_ENV);
  expect(await exitWithin(migrate, 120_000), migrate.stderr()).toBe(0);
  serve = await startServe(config, "all");
  const seeded = await seedThroughApi(serve.url, { read: TOKENS.reader, write: TOKENS.writer });
  log(
    `schemathesis ${schemathesis.version}${schemathesis.installed ? " (installed now)" : ""}; ` +
      `serve on ${serve.url} with ${seeded.events} events; ready in ${Math.round((Date.now() - began) / 1000)} s`,
  );
});

afterAll(async () => {
  await killServeChildren();
  await sink?.close();
  await servers?.destroy();
  if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
});

/** schemathesis's output for a failure message: its failures and summary (or all of it). */
function reportOf(run: SchemathesisRun): string {
  const start = run.output.indexOf("FAILURES");
  const text = start >= 0 ? run.output.slice(Math.max(0, start - 40)) : run.output;
  return text.length > 60_000 ? `${text.slice(0, 30_000)}\n…\n${text.slice(-30_000)}` : text;
}

describe("the HTTP API under schemathesis, from its own OpenAPI document", () => {
  for (const { level, token } of LEVELS) {
    it(`has no new failure with ${level === "none" ? "no token" : `the ${level} token`}`, async () => {
      const reportDir = join(stackDir(), "fuzz-reports", "heavy", level);
      const args = schemathesisArgs({
        url: serve.url,
        ...(token !== undefined ? { token } : {}),
        seed: SEED,
        maxExamples: MAX_EXAMPLES,
        reportDir,
      });
      const before = await apiRequestCount(serve.url);
      const logFrom = serve.stderr().length;
      const run = await runSchemathesis({
        bin: schemathesis.bin,
        args,
        reportDir,
        timeoutMs: LEVEL_TIMEOUT_MS,
      });
      const requests = (await apiRequestCount(serve.url)) - before;
      log(`${level}: ${describeRun(run)}, ${requests} API requests served`);
      log(`${level}: ${shellLine(schemathesis.bin, args)}`);
      log(`${level}: reports in ${reportDir}`);
      if (run.report !== undefined) reported.add(level);
      for (const id of run.report?.baseline?.known_ids ?? []) {
        knownSeen.set(id, (knownSeen.get(id) ?? new Set()).add(level));
      }
      const explanation =
        `schemathesis as ${level} (exit ${run.code}${run.timedOut ? `, killed after ${LEVEL_TIMEOUT_MS} ms` : ""}); ` +
        `reports in ${reportDir}:\n${reportOf(run)}`;
      expect(run.timedOut, explanation).toBe(false);
      expect(runPassed(run), explanation).toBe(true);
      // The run did fuzz: every operation tested, hundreds of cases, the server really answered.
      expect(run.report!.operations.tested).toBe(run.report!.operations.total);
      expect(run.report!.test_cases.generated).toBeGreaterThan(300);
      expect(requests).toBeGreaterThan(300);
      // Nothing went wrong on the server's side unseen: no 5xx answer was logged.
      const serverErrors = serve
        .stderr()
        .slice(logFrom)
        .split("\n")
        .filter((line) => /"statusCode":5\d\d/.test(line));
      expect(serverErrors.slice(0, 10)).toEqual([]);
    });
  }

  it("still reproduces every known failure (one that no longer happens is fixed: remove it)", () => {
    // Only when every level ran (not filtered out, not stopped before its report).
    if (!LEVELS.every(({ level }) => reported.has(level))) return;
    // Entries found by longer runs (`npm run fuzz`) need not happen in this one.
    const gone = baselineEntries()
      .filter((entry) => entry.found?.startsWith("test/heavy/fuzz-api.test.ts") ?? true)
      .filter((entry) => !knownSeen.has(entry.id));
    expect(
      gone.map((entry) => `${entry.id} ${entry.operation} ${entry.check}: ${entry.regression}`),
      "these known failures did not happen: delete them from scripts/fuzz/known-failures.json",
    ).toEqual([]);
  });
});
