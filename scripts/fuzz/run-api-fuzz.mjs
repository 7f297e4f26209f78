// `npm run fuzz`: the long API fuzzing run (the heavy test test/heavy/fuzz-api.test.ts is the short
// one). Brings up a private ClickHouse and Kafka (temp directories, free ports; the local stack is
// left alone), a migrated `driftwatch serve --role all` with tokens of every role and seeded
// models, then runs schemathesis (pinned in requirements.txt, installed into
// <stack dir>/fuzz-venv on first use) once per token level with every check, positive and negative
// data, every phase (examples, coverage, fuzzing, stateful sequences through inferred links) and
// many examples per operation. Prints where each level's reports went (the failures with a cURL
// line each, a VCR cassette of every request and answer, JUnit and JSON) and exits 1 when any
// level has a failure that scripts/fuzz/known-failures.json does not list.
//
//   npm run fuzz                                   # 300 examples per operation, a new seed
//   npm run fuzz -- --seed 42 --examples 1000      # repeat a seed, go deeper
//   npm run fuzz -- --levels admin,none            # some token levels only
//   npm run fuzz -- --url http://127.0.0.1:8080    # a server of yours (tokens from
//                                                  # DRIFTWATCH_FUZZ_{ADMIN,WRITE,READ}_TOKEN)
//   npm run fuzz -- --update-baseline              # record this run's failures as known
//   npm run fuzz -- -- --max-response-time 2       # anything after -- goes to `schemathesis run`
//
// Needs a build (`npm run build`, which the npm script runs first).
/* global fetch, setTimeout */
import { spawn } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  LEVELS,
  PROJECT_ROOT,
  TOKEN_VARIABLES,
  apiRequestCount,
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
} from "./fuzz-lib.mjs";

const USAGE = `usage: npm run fuzz -- [--examples N] [--seed S] [--levels admin,write,read,none]
                      [--url URL] [--report-dir DIR] [--update-baseline] [-- schemathesis options]`;

function say(message) {
  console.error(`fuzz: ${message}`);
}

const { values: options, positionals } = parseArgs({
  options: {
    examples: { type: "string", default: "300" },
    seed: { type: "string" },
    levels: { type: "string", default: LEVELS.join(",") },
    url: { type: "string" },
    "report-dir": { type: "string" },
    "update-baseline": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  allowPositionals: true,
});
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const examples = Number(options.examples);
const seed = options.seed !== undefined ? Number(options.seed) : randomInt(1, 2 ** 31);
const levels = options.levels.split(",").map((level) => level.trim());
if (
  !Number.isInteger(examples) ||
  examples < 1 ||
  !Number.isInteger(seed) ||
  levels.some((level) => !LEVELS.includes(level))
) {
  console.error(USAGE);
  process.exit(2);
}
const stamp = new Date().toISOString().replaceAll(":", "").replace(/\..*/, "");
const reportsDir = join(stackDir(), "fuzz-reports");
const reportRoot = options["report-dir"] ?? join(reportsDir, stamp);
/** Runs kept in .stack/fuzz-reports (each level's cassette of a long run is tens of MB). */
const KEEP_RUNS = 5;

/** Delete the oldest runs of reportsDir (named by their start time) beyond the newest KEEP_RUNS. */
function pruneOldRuns() {
  if (!existsSync(reportsDir)) return;
  const runs = readdirSync(reportsDir)
    .filter((name) => /^\d{4}-\d{2}-\d{2}T\d{6}$/.test(name))
    .sort();
  for (const name of runs.slice(0, Math.max(0, runs.length - (KEEP_RUNS - 1)))) {
    rmSync(join(reportsDir, name), { recursive: true, force: true });
  }
}

/** What to clean up, newest first. */
const cleanups = [];
async function cleanUp() {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((error) => say(`clean-up: ${error.message}`));
  }
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    say(`${signal}: stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}

/** The port a serve child logged (DRIFTWATCH_LOG_LEVEL=info). */
function servedPort(stderr) {
  const match = /"port":(\d+),"msg":"serving \/metrics/.exec(stderr);
  return match === null ? undefined : Number(match[1]);
}

/** `bin/driftwatch` with the private servers' config; the shell's DRIFTWATCH_* left out. */
function driftwatch(args, env) {
  const childEnv = { ...process.env };
  for (const name of Object.keys(childEnv)) {
    if (name.startsWith("DRIFTWATCH_")) delete childEnv[name];
  }
  const child = spawn(join(PROJECT_ROOT, "bin", "driftwatch"), args, {
    env: { ...childEnv, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-2_000_000);
  });
  const exited = new Promise((resolveExit) =>
    child.on("exit", (code, signal) => resolveExit(code ?? signal)),
  );
  return { child, exited, stderr: () => stderr };
}

async function until(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
}

/** Private servers, config, migrate, serve, seed: the server's URL and tokens. */
async function startFuzzServer() {
  const stack = join(PROJECT_ROOT, "dist", "src", "stack", "index.js");
  if (!existsSync(stack)) throw new Error("dist/ is missing: run `npm run build` first");
  const { startPrivateClickHouse, startPrivateKafka } = await import(stack);
  process.env.DRIFTWATCH_STACK_DIR ??= stackDir(); // the Kafka jars of the local stack, if any
  say("starting a private ClickHouse and Kafka");
  const [clickhouse, kafka] = await Promise.all([startPrivateClickHouse(), startPrivateKafka()]);
  cleanups.push(
    () => clickhouse.destroy(),
    () => kafka.destroy(),
  );
  const sink = await startSink();
  cleanups.push(() => sink.close());
  const dir = mkdtempSync(join(tmpdir(), "dw-fuzz-"));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, "driftwatch.yaml");
  writeFileSync(
    config,
    fuzzConfigYaml({
      clickhouseUrl: clickhouse.url,
      brokers: kafka.brokers,
      database: "driftwatch_fuzz",
      sinkUrl: sink.url,
    }),
  );
  const tokens = {
    admin: randomBytes(16).toString("hex"),
    write: randomBytes(16).toString("hex"),
    read: randomBytes(16).toString("hex"),
  };
  const env = {
    [TOKEN_VARIABLES.admin]: tokens.admin,
    [TOKEN_VARIABLES.write]: tokens.write,
    [TOKEN_VARIABLES.read]: tokens.read,
    DRIFTWATCH_LOG_LEVEL: "info",
  };
  const migrate = driftwatch(["migrate", "--config", config], env);
  if ((await migrate.exited) !== 0) throw new Error(`migrate failed:\n${migrate.stderr()}`);
  const serve = driftwatch(["serve", "--config", config, "--role", "all"], env);
  cleanups.push(async () => {
    if (serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
  });
  const port = await until(
    "serve to log its port",
    async () => {
      if (serve.child.exitCode !== null) throw new Error(`serve exited:\n${serve.stderr()}`);
      return servedPort(serve.stderr());
    },
    60_000,
  );
  const url = `http://127.0.0.1:${port}`;
  await until("serve to be ready", async () => (await fetch(`${url}/readyz`)).ok, 60_000);
  const seeded = await seedThroughApi(url, tokens);
  say(`serve --role all on ${url}, ${seeded.events} events seeded`);
  return { url, tokens, serve };
}

async function main() {
  if (options["report-dir"] === undefined) pruneOldRuns();
  const schemathesis = await ensureSchemathesis({ log: say });
  let url;
  let tokens;
  let serve;
  if (options.url !== undefined) {
    url = options.url.replace(/\/+$/, "");
    tokens = {
      admin: process.env.DRIFTWATCH_FUZZ_ADMIN_TOKEN,
      write: process.env.DRIFTWATCH_FUZZ_WRITE_TOKEN,
      read: process.env.DRIFTWATCH_FUZZ_READ_TOKEN,
    };
  } else {
    ({ url, tokens, serve } = await startFuzzServer());
  }
  say(`schemathesis ${schemathesis.version}, seed ${seed}, ${examples} examples per operation`);
  const results = [];
  for (const level of levels) {
    const token = level === "none" ? undefined : tokens[level];
    if (level !== "none" && token === undefined) {
      say(`${level}: skipped (no DRIFTWATCH_FUZZ_${level.toUpperCase()}_TOKEN)`);
      continue;
    }
    const reportDir = join(reportRoot, level);
    const args = schemathesisArgs({
      url,
      ...(token !== undefined ? { token } : {}),
      seed,
      maxExamples: examples,
      reportDir,
      extraArgs: [...(options["update-baseline"] ? ["--baseline-update"] : []), ...positionals],
    });
    say(`${level}: ${shellLine(schemathesis.bin, args)}`);
    const before = await apiRequestCount(url).catch(() => NaN);
    const run = await runSchemathesis({
      bin: schemathesis.bin,
      args,
      reportDir,
      // Bounded all the same: about 0.5 s per example here; 2 s per example, 10 min at least.
      timeoutMs: Math.max(600_000, examples * 2_000),
      onOutput: (text) => process.stdout.write(text),
    });
    const requests = (await apiRequestCount(url).catch(() => NaN)) - before;
    const passed = runPassed(run);
    results.push({ level, run, passed });
    say(`${level}: ${passed ? "passed" : "FAILED"}: ${describeRun(run)}, ${requests} API requests`);
    if (serve !== undefined && /"statusCode":5\d\d/.test(serve.stderr())) {
      say(`${level}: the server logged a 5xx answer (see its log lines with "statusCode":5…)`);
      results.at(-1).passed = false;
    }
  }
  say("");
  say(`reports (seed ${seed}):`);
  for (const { level, run, passed } of results) {
    say(`  ${level.padEnd(5)} ${passed ? "passed" : "FAILED"}  ${run.reportDir}/`);
  }
  say(
    "  each holds output.txt (every failure with a cURL line to reproduce it), report.json, " +
      "junit-*.xml and vcr-*.yaml (a cassette of every request and answer); " +
      "`st replay <id>` in that directory replays a failure while a server runs",
  );
  const failed = results.filter((result) => !result.passed);
  if (failed.length > 0) {
    say(
      `failures at level(s) ${failed.map((result) => result.level).join(", ")}: each becomes a ` +
        "test in test/integration/api/fuzz-regressions.test.ts (and, until the product is " +
        "fixed, an entry of scripts/fuzz/known-failures.json: --update-baseline)",
    );
  }
  return failed.length === 0 ? 0 : 1;
}

let code;
try {
  code = await main();
} catch (error) {
  say(error instanceof Error ? error.message : String(error));
  code = 2;
} finally {
  await cleanUp();
}
process.exit(code);
