// The API fuzzing kit shared by test/heavy/fuzz-api.test.ts and `npm run fuzz`
// (scripts/fuzz/run-api-fuzz.mjs): schemathesis installed on first use into a venv of its own
// (pinned by requirements.txt beside this file), its command line, a bounded run with its JSON
// report read back, and the fuzz server's config, retrain webhook sink and seed data.
// Plain JavaScript (no build step): the script runs it with node, the test imports it (types in
// fuzz-lib.d.mts).
/* global fetch, setTimeout, clearTimeout */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const FUZZ_DIR = dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = resolve(FUZZ_DIR, "..", "..");
export const REQUIREMENTS_FILE = join(FUZZ_DIR, "requirements.txt");
export const CONFIG_FILE = join(FUZZ_DIR, "schemathesis.toml");
/** schemathesis's baseline: failures already reported, each with its regression test. */
export const BASELINE_FILE = join(FUZZ_DIR, "known-failures.json");

/** The schemathesis version requirements.txt pins. */
export const SCHEMATHESIS_VERSION = (() => {
  const match = /^schemathesis==(\S+)\s*$/m.exec(readFileSync(REQUIREMENTS_FILE, "utf8"));
  if (match === null) throw new Error(`${REQUIREMENTS_FILE} does not pin schemathesis==X.Y.Z`);
  return match[1];
})();

/** Token levels the API knows, strongest first; "none" sends no Authorization header. */
export const LEVELS = ["admin", "write", "read", "none"];

/** The stack directory: DRIFTWATCH_STACK_DIR when set, else `<project>/.stack`. */
export function stackDir(env = process.env) {
  const configured = env.DRIFTWATCH_STACK_DIR;
  return configured !== undefined && configured.trim() !== ""
    ? resolve(configured)
    : join(PROJECT_ROOT, ".stack");
}

/**
 * Run a command to completion (SIGTERM, then SIGKILL 5 s later, once `timeoutMs` has passed);
 * stdout and stderr are kept interleaved, and passed to `onOutput` as they come.
 */
export function runCommand(command, args, options = {}) {
  const began = Date.now();
  return new Promise((resolveRun) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let timedOut = false;
    const keep = (text) => {
      output += text;
      options.onOutput?.(text);
    };
    child.stdout.setEncoding("utf8").on("data", keep);
    child.stderr.setEncoding("utf8").on("data", keep);
    let killer;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGTERM");
            killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
          }, options.timeoutMs);
    let done = false;
    const finish = (code, signal) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(killer);
      resolveRun({ code, signal, output, timedOut, durationMs: Date.now() - began });
    };
    child.once("error", (error) => {
      output += `${error.message}\n`;
      finish(-1, undefined);
    });
    child.once("close", (code, signal) => finish(code ?? -1, signal ?? undefined));
  });
}

function tail(text, lines = 25) {
  return text
    .trim()
    .split("\n")
    .slice(-lines)
    .map((line) => `  | ${line}`)
    .join("\n");
}

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** Debian: python3 and its venv module (ensurepip), installed with apt-get when root. */
async function installPythonWithApt(log) {
  const hasApt = existsSync("/usr/bin/apt-get");
  const advice = "apt-get install -y python3 python3-venv";
  if (!hasApt) {
    throw new Error(
      `the API fuzzer needs python3 (3.10 or newer) with its venv module: install them (Debian: ${advice})`,
    );
  }
  if (!isRoot()) {
    throw new Error(
      `the API fuzzer needs python3 with its venv module and installing them needs root. Run:\n` +
        `  sudo apt-get update && sudo ${advice}\nthen retry.`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const options = ["-o", "DPkg::Lock::Timeout=180", "-o", "Acquire::Retries=3"];
  log("installing python3 and python3-venv with apt-get (for the API fuzzer's venv)");
  await runCommand("apt-get", [...options, "update"], { env, timeoutMs: 600_000 });
  const install = await runCommand(
    "apt-get",
    [...options, "install", "-y", "--no-install-recommends", "python3", "python3-venv"],
    { env, timeoutMs: 900_000 },
  );
  if (install.code !== 0) {
    throw new Error(`apt-get could not install python3 python3-venv:\n${tail(install.output)}`);
  }
}

const NETWORK_TROUBLE =
  /Could not fetch URL|Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|Network is unreachable|Connection refused|ConnectTimeout|ReadTimeout|timed out|ProxyError|SSLError|No matching distribution found/i;

function lockMadeAt(lockDir) {
  try {
    return statSync(lockDir).mtimeMs;
  } catch {
    return 0;
  }
}

/** Hold `lockDir` (mkdir is atomic) while `work` runs; a lock whose owner died is taken over. */
async function withLock(lockDir, log, work) {
  const waitUntil = Date.now() + 20 * 60_000;
  let told = false;
  for (;;) {
    let taken = false;
    try {
      mkdirSync(lockDir);
      taken = true;
    } catch (error) {
      if (error?.code !== "EEXIST") throw error;
    }
    if (taken) {
      writeFileSync(join(lockDir, "pid"), String(process.pid));
      break;
    }
    let owner;
    try {
      owner = Number(readFileSync(join(lockDir, "pid"), "utf8")) || undefined;
    } catch {
      owner = undefined; // being written: wait a moment
    }
    // No pid a minute after the lock was made: its maker died before writing it.
    let alive = owner !== undefined || Date.now() - lockMadeAt(lockDir) < 60_000;
    if (owner !== undefined && Number.isInteger(owner) && owner > 0) {
      try {
        process.kill(owner, 0);
      } catch {
        alive = false;
      }
    }
    if (!alive) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > waitUntil) throw new Error(`${lockDir} is held by process ${owner}`);
    if (!told) log(`waiting for process ${owner} to finish installing the API fuzzer`);
    told = true;
    await new Promise((resolveWait) => setTimeout(resolveWait, 1_000));
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * schemathesis of the pinned version in `<stack dir>/fuzz-venv`: created with `python3 -m venv`
 * and `pip install -r scripts/fuzz/requirements.txt` on first use (and again whenever
 * requirements.txt or the Python changes), reused afterwards. Throws a plain explanation when
 * Python or PyPI is not available.
 */
export async function ensureSchemathesis(options = {}) {
  const log = options.log ?? (() => undefined);
  const python = options.python ?? process.env.DRIFTWATCH_FUZZ_PYTHON ?? "python3";
  const venv = options.venv ?? join(options.dir ?? stackDir(), "fuzz-venv");
  const bin = join(venv, "bin", "schemathesis");
  const marker = join(venv, "driftwatch-requirements.sha256");

  let probe = await runCommand(python, ["-c", "import sys; print(sys.version)"], {
    timeoutMs: 30_000,
  });
  if (probe.code !== 0) {
    await installPythonWithApt(log);
    probe = await runCommand(python, ["-c", "import sys; print(sys.version)"]);
    if (probe.code !== 0) throw new Error(`${python} does not run:\n${tail(probe.output)}`);
  }
  const pythonVersion = probe.output.trim();
  const [major, minor] = pythonVersion.split(/[.\s]/).map(Number);
  if (!(major > 3 || (major === 3 && minor >= 10))) {
    throw new Error(
      `the API fuzzer needs Python 3.10 or newer; ${python} is ${pythonVersion}. ` +
        "Set DRIFTWATCH_FUZZ_PYTHON to a newer interpreter.",
    );
  }
  const wanted = createHash("sha256")
    .update(readFileSync(REQUIREMENTS_FILE))
    .update(`\0${pythonVersion}`)
    .digest("hex");
  const ready = () =>
    existsSync(bin) && existsSync(marker) && readFileSync(marker, "utf8").trim() === wanted;
  if (ready()) return { bin, venv, version: SCHEMATHESIS_VERSION, installed: false };

  mkdirSync(dirname(venv), { recursive: true });
  return withLock(`${venv}.lock`, log, async () => {
    if (ready()) return { bin, venv, version: SCHEMATHESIS_VERSION, installed: false };
    const began = Date.now();
    log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv} (first use)`);
    rmSync(venv, { recursive: true, force: true });
    let created = await runCommand(python, ["-m", "venv", venv], { timeoutMs: 120_000 });
    if (created.code !== 0 && /ensurepip|venv/i.test(created.output)) {
      // Debian's python3 comes without ensurepip: python3-venv brings it.
      rmSync(venv, { recursive: true, force: true });
      await installPythonWithApt(log);
      created = await runCommand(python, ["-m", "venv", venv], { timeoutMs: 120_000 });
    }
    if (created.code !== 0) {
      rmSync(venv, { recursive: true, force: true });
      throw new Error(`${python} -m venv ${venv} failed:\n${tail(created.output)}`);
    }
    const pipArgs = [
      "-m",
      "pip",
      "install",
      "--disable-pip-version-check",
      "--no-input",
      "--progress-bar",
      "off",
      "-r",
      REQUIREMENTS_FILE,
    ];
    let pip;
    for (let attempt = 1; attempt <= 2; attempt++) {
      pip = await runCommand(join(venv, "bin", "python"), pipArgs, { timeoutMs: 900_000 });
      if (pip.code === 0) break;
      log(`pip install failed (attempt ${attempt} of 2)`);
    }
    if (pip.code !== 0) {
      rmSync(venv, { recursive: true, force: true });
      const unreachable = pip.timedOut || NETWORK_TROUBLE.test(pip.output);
      throw new Error(
        (unreachable
          ? `pip could not reach PyPI to install the API fuzzer (${REQUIREMENTS_FILE}): check ` +
            "the network, or point pip at a reachable index or proxy (PIP_INDEX_URL, " +
            "HTTPS_PROXY), then rerun."
          : `pip could not install the API fuzzer (${REQUIREMENTS_FILE}).`) +
          ` pip said:\n${tail(pip.output)}`,
      );
    }
    const version = await runCommand(bin, ["--version"], { timeoutMs: 60_000 });
    if (version.code !== 0 || !version.output.includes(SCHEMATHESIS_VERSION)) {
      rmSync(venv, { recursive: true, force: true });
      throw new Error(`the venv's schemathesis does not run:\n${tail(version.output)}`);
    }
    writeFileSync(marker, `${wanted}\n`);
    log(
      `installed schemathesis ${SCHEMATHESIS_VERSION} in ${Math.round((Date.now() - began) / 1000)} s`,
    );
    return { bin, venv, version: SCHEMATHESIS_VERSION, installed: true };
  });
}

/**
 * The command line of one schemathesis run against `url` (the server's base URL) with `token`
 * (none: anonymous). Every check (CONFIG_FILE), positive and negative data, a fixed seed,
 * failures past the first of an operation still explored, one worker (the same requests in the
 * same order), a per-request timeout, no example database (nothing replayed from earlier runs),
 * the baseline of known failures, and reports (JSON for the caller, JUnit, and a VCR cassette of
 * every request and answer) in `reportDir`.
 */
export function schemathesisArgs(options) {
  const reportDir = resolve(options.reportDir);
  return [
    "--config-file",
    CONFIG_FILE,
    "--no-color",
    "run",
    `${options.url}/openapi.json`,
    // Every check: `[checks] enabled = true` in schemathesis.toml (`--checks all` here would
    // override its per-operation exceptions).
    "--mode",
    "all",
    "--max-examples",
    String(options.maxExamples),
    "--seed",
    String(options.seed),
    "--continue-on-failure",
    "--workers",
    "1",
    "--request-timeout",
    String(options.requestTimeoutSeconds ?? 10),
    "--generation-database",
    "none",
    "--baseline",
    options.baseline ?? BASELINE_FILE,
    "--report",
    "json,junit,vcr",
    "--report-dir",
    reportDir,
    "--report-json-path",
    join(reportDir, "report.json"),
    ...(options.token !== undefined ? ["-H", `Authorization: Bearer ${options.token}`] : []),
    ...(options.extraArgs ?? []),
  ];
}

/** The command line as a shell would take it (tokens shown as $TOKEN). */
export function shellLine(bin, args) {
  return [bin, ...args]
    .map((arg) => arg.replace(/Bearer \S+/, "Bearer $TOKEN"))
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`))
    .join(" ");
}

/**
 * Run schemathesis with `args` (schemathesisArgs) in `reportDir` — where it also keeps its crash
 * files for `st replay <id>` — killing it after `timeoutMs`. Resolves with the exit code, the
 * whole output, whether it was killed, the time taken and the JSON report (undefined when none
 * was written).
 */
export async function runSchemathesis(options) {
  const reportDir = resolve(options.reportDir);
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  const result = await runCommand(options.bin, options.args, {
    cwd: reportDir,
    env: { ...process.env, NO_COLOR: "1", COLUMNS: "120", PYTHONUNBUFFERED: "1" },
    timeoutMs: options.timeoutMs,
    onOutput: options.onOutput,
  });
  writeFileSync(join(reportDir, "output.txt"), result.output);
  let report;
  try {
    report = JSON.parse(readFileSync(join(reportDir, "report.json"), "utf8"));
  } catch {
    report = undefined;
  }
  return { ...result, reportDir, report };
}

/** One line per figure of a run: test cases, failures (new and known), errors, time. */
export function describeRun(run) {
  const report = run.report;
  if (report === undefined) {
    return `no report (exit ${run.code}${run.timedOut ? ", killed: over its time limit" : ""})`;
  }
  const failures = (report.failures ?? [])
    .map((failure) => `${failure.code} ${failure.title} ×${failure.count}`)
    .join("; ");
  return [
    `${report.test_cases?.generated ?? "?"} test cases`,
    `${report.operations?.tested ?? "?"}/${report.operations?.total ?? "?"} operations`,
    `new failures: ${report.baseline?.new ?? report.test_cases?.unique_failures ?? "?"}` +
      (failures === "" ? "" : ` (${failures})`),
    `known (baseline): ${report.baseline?.known ?? 0}`,
    `errors: ${report.errors?.length ?? 0}`,
    `${(run.durationMs / 1000).toFixed(1)} s`,
  ].join(", ");
}

/** True when the run passed: exit 0, not killed, no new failure, no error. */
export function runPassed(run) {
  return (
    run.code === 0 &&
    !run.timedOut &&
    run.report !== undefined &&
    (run.report.baseline?.new ?? 0) === 0 &&
    (run.report.errors?.length ?? 0) === 0 &&
    (run.report.failures?.length ?? 0) === 0
  );
}

/** The baseline's entries (id, operation, check, failure, regression, …). */
export function baselineEntries(file = BASELINE_FILE) {
  return JSON.parse(readFileSync(file, "utf8")).entries ?? [];
}

/** A local HTTP server answering 200 `{}` to anything: the retrain webhook's receiver. */
export async function startSink() {
  const received = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ method: request.method, url: request.url, body });
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise((resolveListen) => server.listen(0, "127.0.0.1", resolveListen));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections?.();
        server.close(() => resolveClose());
      }),
  };
}

/** Environment variables the fuzz config reads its three tokens from. */
export const TOKEN_VARIABLES = {
  read: "DW_TEST_READ_TOKEN",
  write: "DW_TEST_WRITE_TOKEN",
  admin: "DW_TEST_ADMIN_TOKEN",
};

/**
 * The fuzz server's driftwatch.yaml: its own database and consumer group, a token per role, two
 * models, an alert rule that fires on the seeded drift, and a retrain action posting to `sinkUrl`.
 */
export function fuzzConfigYaml(options) {
  const quote = (value) => JSON.stringify(value);
  return `# The API fuzzer's server (scripts/fuzz/fuzz-lib.mjs).
server:
  port: 0
  host: 127.0.0.1
  # schemathesis sends well over 1,200 requests a minute with one token: the limiter stays on
  # (its hook and X-RateLimit-* headers are part of what is fuzzed) with a ceiling it never reaches.
  rateLimit: { max: 1000000 }
clickhouse: { url: ${quote(options.clickhouseUrl)}, database: ${options.database} }
kafka:
  brokers: [${options.brokers.map(quote).join(", ")}]
  groupId: ${options.groupId ?? "driftwatch-fuzz"}
  topicPartitions: 1
ingest: { batchMaxWaitMs: 200 }
auth:
  tokens:
    - { name: dashboards, token: "\${${TOKEN_VARIABLES.read}}", role: read }
    - { name: pipeline, token: "\${${TOKEN_VARIABLES.write}}", role: write }
    - { name: ops-admin, token: "\${${TOKEN_VARIABLES.admin}}", role: admin }
models:
  - { name: credit-risk, task: binary, interval: 1h, minRows: 50 }
  - { name: churn, task: binary, interval: 1h, minRows: 50 }
alerts:
  rules:
    - { name: fuzz-drift-share, result: drift_share, op: ">", threshold: 0.1 }
  retrain:
    actions:
      - name: fuzz-sink
        secret: "fuzz-webhook-secret-0123456789"
        generic: { url: ${quote(`${options.sinkUrl}/retrain`)} }
`;
}

const HOUR = 3_600_000;

/** Deterministic features of event `index` (shifted upwards in the drifted window). */
function features(index, shift) {
  const unit = (salt) => {
    const x = Math.sin(index * 12.9898 + salt * 78.233) * 43_758.5453;
    return x - Math.floor(x);
  };
  return {
    age: Math.round(20 + unit(1) * 40 + shift),
    income: Math.round(30_000 + unit(2) * 50_000),
    region: ["EU", "US", "APAC"][index % 3],
    employed: index % 2 === 0,
    score: index % 17 === 0 ? null : unit(3),
  };
}

async function call(url, method, path, token, body) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/**
 * Data for the fuzzer to find, put in through the API as users do: events of both models in a
 * reference window (two days ago) and a current window (three hours ago, shifted), a fixed
 * reference, an evaluation (drift and performance results; the alert rule fires), and a silence.
 */
export async function seedThroughApi(url, tokens, now = Date.now()) {
  const hour = Math.floor(now / HOUR) * HOUR;
  const referenceStart = hour - 48 * HOUR;
  const currentStart = hour - 3 * HOUR;
  const events = [];
  for (const model of ["credit-risk", "churn"]) {
    for (const [start, shift] of [
      [referenceStart, 0],
      [currentStart, 25],
    ]) {
      for (let k = 0; k < 200; k++) {
        const index = events.length;
        events.push({
          event_id: `fuzz-seed-${index}`,
          model,
          model_version: "1",
          timestamp: new Date(start + k * 15_000).toISOString(),
          features: features(index, shift),
          prediction: features(index, 0).score ?? 0.5,
          label: index % 2,
        });
      }
    }
  }
  await call(url, "POST", "/api/v1/events", tokens.write, events);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { models } = await call(url, "GET", "/api/v1/models", tokens.read);
    const seen = models.filter((model) => model.versions.includes("1") && model.lastEventAt);
    if (seen.length === 2) break;
    if (Date.now() > deadline) throw new Error("the seeded events were not stored within 60 s");
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  const window = {
    from: new Date(currentStart).toISOString(),
    to: new Date(currentStart + HOUR).toISOString(),
  };
  // The whole batch is stored before a window is read: wait for the current window's rows.
  for (const model of ["credit-risk", "churn"]) {
    const reference = {
      kind: "fixed",
      from: new Date(referenceStart).toISOString(),
      to: new Date(referenceStart + HOUR).toISOString(),
    };
    for (;;) {
      const info = await call(
        url,
        "PUT",
        `/api/v1/models/${model}/versions/1/reference`,
        tokens.write,
        reference,
      );
      const [evaluation] = (
        await call(url, "POST", `/api/v1/models/${model}/evaluate`, tokens.write, window)
      ).evaluations;
      if (info.rows >= 200 && evaluation?.rows >= 200) break;
      if (Date.now() > deadline) throw new Error(`${model}'s seeded windows are incomplete`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 250));
    }
  }
  await call(url, "POST", "/api/v1/silences", tokens.write, {
    matchers: ["model=churn"],
    comment: "seeded by the API fuzzer",
  });
  return { events: events.length, window };
}

/** Requests the server has answered so far (its driftwatch_api_requests_total, summed). */
export async function apiRequestCount(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("driftwatch_api_requests_total")) {
      total += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return total;
}
