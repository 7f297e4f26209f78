// `npm run bench:ingest`: end-to-end throughput and peak RSS of the ingester (a child process,
// `serve --role ingest`) moving 1,000,000 events (20 features: 15 numeric, 5 categorical) from
// Kafka into ClickHouse, against two baselines measured in the same run on the same data: kcat
// reading the topic raw, and clickhouse-client inserting the same rows as one JSONEachRow file
// into a second database made by the same migrations (so `predictions` there has the same
// materialized views and each insert does the same work as the ingester's). After each run the
// stored events are checked: count() and uniqExact(event_id) must both equal the number sent,
// else the benchmark fails (exit 1) naming what is missing or doubled.
// Prints one JSON line: {events_per_s, baseline_events_per_s, ratio, peak_rss_mb, …}.
//
// Env: BENCH_EVENTS (default 1000000), DRIFTWATCH_KAFKA_BROKERS, DRIFTWATCH_CLICKHOUSE_URL,
// DRIFTWATCH_CLICKHOUSE_NATIVE_PORT (clickhouse-client, default 9000), BENCH_NODE_ARGS (extra node
// flags for the ingester, e.g. "--cpu-prof"), BENCH_BATCH_ROWS (ingest.batchMaxRows, default 50000).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { validatePrediction } from "../src/ingest/validate.js";
import { createKafkaClient } from "../src/kafka/index.js";
import {
  applyMigrations,
  createHttpEngine,
  dropDatabase,
  sql,
  tableRef,
  type SqlEngine,
} from "../src/store/index.js";
import { createLogger } from "../src/util/logger.js";
import { clickhouseClientInsert, kcatRead } from "./ingest_baselines.js";
import { benchEvents, SeededRandom } from "./ingest_events.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const PARTITIONS = 3;
const PRODUCE_BATCH = 5_000;
/**
 * DESIGN: "batch inserts (10k–100k rows or ~1 s)". 50k rows is ~0.6 s of events at this rate:
 * fewer, larger parts than the 10k default, half the buffer memory of 100k.
 */
const BATCH_ROWS = Number(process.env.BENCH_BATCH_ROWS ?? 50_000);
const BROKERS = process.env.DRIFTWATCH_KAFKA_BROKERS ?? "localhost:9092";
const CLICKHOUSE_URL = process.env.DRIFTWATCH_CLICKHOUSE_URL ?? "http://localhost:8123";
/** How long the stored count may stay still before the ingester's run is given up on. */
const STALL_MS = 60_000;
const NATIVE_PORT = Number(process.env.DRIFTWATCH_CLICKHOUSE_NATIVE_PORT ?? 9000);
const MAIN_JS = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

function progress(message: string): void {
  process.stderr.write(`bench:ingest: ${message}\n`);
}

async function count(engine: SqlEngine, table: ReturnType<typeof tableRef>): Promise<number> {
  const [row] = await engine.query<{ n: number }>(sql`SELECT count() AS n FROM ${table}`);
  return Number(row?.n ?? 0);
}

interface Stored {
  readonly rows: number;
  readonly distinct: number;
}

/**
 * Every event sent stored exactly once: count() (rows, duplicates included until a merge) and
 * uniqExact(event_id) both equal to `sent`; throws naming the shortfall or the doubles.
 */
async function checkStoredOnce(
  engine: SqlEngine,
  table: ReturnType<typeof tableRef>,
  sent: number,
  who: string,
): Promise<Stored> {
  const [row] = await engine.query<{ rows: number; distinct: number }>(
    sql`SELECT count() AS rows, uniqExact(event_id) AS distinct FROM ${table}`,
  );
  const stored = { rows: Number(row?.rows ?? 0), distinct: Number(row?.distinct ?? 0) };
  const problems: string[] = [];
  if (stored.distinct < sent) problems.push(`${sent - stored.distinct} events missing`);
  if (stored.distinct > sent) problems.push(`${stored.distinct - sent} events never sent`);
  if (stored.rows > stored.distinct)
    problems.push(`${stored.rows - stored.distinct} rows stored twice`);
  if (problems.length > 0) {
    throw new Error(
      `${who}: sent ${sent} events, stored count() ${stored.rows}, uniqExact(event_id) ` +
        `${stored.distinct}: ${problems.join(", ")}`,
    );
  }
  return stored;
}

/** Names of the materialized views of a database (the work an insert into predictions fans out to). */
async function materializedViews(engine: SqlEngine, database: string): Promise<string[]> {
  const rows = await engine.query<{ name: string }>(
    sql`SELECT name FROM system.tables WHERE database = ${database} AND engine = 'MaterializedView' ORDER BY name`,
  );
  return rows.map((row) => row.name);
}

/** Produce the events and write the same rows, as the ingester builds them, to a JSONEachRow file. */
async function produceAndWriteRows(topic: string, rowsFile: string): Promise<number> {
  const kafka = createKafkaClient(
    { brokers: BROKERS.split(","), clientId: "bench-ingest" },
    createLogger("bench", "warn"),
  );
  const producer = kafka.producer();
  await producer.connect();
  const rows = createWriteStream(rowsFile);
  const random = new SeededRandom(42);
  const baseTimeMs = Date.UTC(2026, 10, 23);
  const started = performance.now();
  try {
    for (let from = 0; from < EVENTS; from += PRODUCE_BATCH) {
      const events = benchEvents(from, Math.min(PRODUCE_BATCH, EVENTS - from), random, baseTimeMs);
      const sending = producer.send(
        topic,
        events.map((value, k) => ({ key: `bench-${from + k}`, value })),
      );
      let text = "";
      events.forEach((value, k) => {
        const verdict = validatePrediction(
          {
            topic,
            partition: 0,
            offset: from + k,
            timestampMs: baseTimeMs,
            value: Buffer.from(value),
          },
          { maxEventBytes: 1_048_576 },
          Math.floor(Date.now() / 1000),
        );
        if (!verdict.ok) throw new Error(`bench event ${from + k} is invalid: ${verdict.detail}`);
        text += JSON.stringify(verdict.row) + "\n";
      });
      if (!rows.write(text)) await once(rows, "drain");
      await sending;
      if ((from / PRODUCE_BATCH) % 40 === 0) progress(`produced ${from + events.length} events`);
    }
  } finally {
    await producer.close();
    rows.end();
    await once(rows, "close");
  }
  return (performance.now() - started) / 1000;
}

interface IngesterRun {
  readonly seconds: number;
  readonly startupSeconds: number;
  readonly peakRssMb: number;
  /** From the ingester's own /metrics at the end. */
  readonly batches: number;
  readonly writeSeconds: number;
  readonly backpressureSeconds: number;
  readonly cpuSeconds: number;
}

/** The value of an unlabelled sample in Prometheus text. */
function sample(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return match === null ? Number.NaN : Number(match[1]);
}

/** VmHWM (peak resident set size) of a process, in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  if (match === null) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

async function runIngester(
  configFile: string,
  engine: SqlEngine,
  predictions: ReturnType<typeof tableRef>,
): Promise<IngesterRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DRIFTWATCH_LOG_LEVEL: "info" };
  for (const name of Object.keys(env)) {
    if (name.startsWith("DRIFTWATCH_") && name !== "DRIFTWATCH_LOG_LEVEL") delete env[name];
  }
  const spawned = performance.now();
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter((arg) => arg !== "");
  const child = spawn(
    process.execPath,
    [...nodeArgs, MAIN_JS, "serve", "--role", "ingest", "--config", configFile],
    {
      env,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let logs = "";
  let readyAt: number | undefined;
  child.stderr!.on("data", (chunk: Buffer) => {
    logs += chunk.toString("utf8");
    if (readyAt === undefined && logs.includes('"msg":"ingester started"'))
      readyAt = performance.now();
    if (logs.length > 1_000_000) logs = logs.slice(-100_000);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    let stored = 0;
    let lastReport = performance.now();
    let lastGrowth = performance.now();
    while (stored < EVENTS) {
      if (child.exitCode !== null)
        throw new Error(`the ingester exited early:\n${logs.slice(-3_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = await count(engine, predictions);
      if (now !== stored) lastGrowth = performance.now();
      stored = now;
      // Events lost on the way would keep the count short for ever: stop waiting, the check fails.
      if (performance.now() - lastGrowth > STALL_MS) {
        progress(`no new rows for ${STALL_MS / 1000} s at ${stored} of ${EVENTS}: stopping`);
        break;
      }
      if (performance.now() - lastReport > 5_000) {
        lastReport = performance.now();
        progress(`ingester stored ${stored} rows`);
      }
    }
    const done = performance.now();
    const peak = peakRssMb(child.pid!);
    const port = /"port":(\d+),"msg":"serving \/metrics/.exec(logs)?.[1];
    const metrics =
      port === undefined ? "" : await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const from = readyAt ?? spawned;
    return {
      seconds: (done - from) / 1000,
      startupSeconds: (from - spawned) / 1000,
      peakRssMb: peak,
      batches: sample(metrics, "driftwatch_ingest_batch_duration_seconds_count"),
      writeSeconds: sample(metrics, "driftwatch_ingest_batch_duration_seconds_sum"),
      backpressureSeconds: sample(metrics, "driftwatch_ingest_backpressure_seconds_total"),
      cpuSeconds: sample(metrics, "driftwatch_process_cpu_seconds_total"),
    };
  } finally {
    child.kill("SIGTERM");
    const code = await exited;
    if (code !== 0) progress(`ingester exited with ${code}:\n${logs.slice(-2_000)}`);
  }
}

async function main(): Promise<void> {
  const suffix = randomBytes(4).toString("hex");
  const database = `dw_bench_${suffix}`;
  const baselineDatabase = `dw_bench_${suffix}_baseline`;
  const topics = {
    predictions: `dwbench.${suffix}.predictions`,
    labels: `dwbench.${suffix}.labels`,
    dlq: `dwbench.${suffix}.dlq`,
  };
  const dir = mkdtempSync(join(tmpdir(), "dw-bench-ingest-"));
  const rowsFile = join(dir, "rows.jsonl");
  const configFile = join(dir, "driftwatch.yaml");
  const engine = createHttpEngine({ url: CLICKHOUSE_URL, requestTimeoutMs: 600_000 });
  const kafka = createKafkaClient(
    { brokers: BROKERS.split(","), clientId: "bench-ingest" },
    createLogger("bench", "warn"),
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    await applyMigrations(engine, database);
    // The baseline's database: the same migrations, so the same predictions table and views.
    await applyMigrations(engine, baselineDatabase);
    const views = await materializedViews(engine, database);
    const baselineViews = await materializedViews(engine, baselineDatabase);
    if (views.length === 0 || views.join() !== baselineViews.join()) {
      throw new Error(
        `the baseline database's materialized views (${baselineViews.join(", ")}) differ from ` +
          `the ingester's (${views.join(", ")})`,
      );
    }
    await admin.ensureTopics(
      Object.values(topics).map((topic) => ({
        topic,
        partitions: PARTITIONS,
        replicationFactor: 1,
      })),
    );

    progress(`producing ${EVENTS} events to ${topics.predictions}`);
    const produceSeconds = await produceAndWriteRows(topics.predictions, rowsFile);
    progress(`produced in ${produceSeconds.toFixed(1)} s`);

    progress("baseline 1: kcat reading the topic raw");
    const kcat = await kcatRead(BROKERS, topics.predictions);
    progress(`kcat: ${kcat.seconds.toFixed(2)} s`);

    progress(
      `baseline 2: clickhouse-client inserting the same rows as one JSONEachRow file into ` +
        `${baselineDatabase}.predictions (same migrations, ${baselineViews.length} materialized views)`,
    );
    const baselineTable = tableRef(baselineDatabase, "predictions");
    const host = new URL(CLICKHOUSE_URL).hostname;
    const insertStatement = sql`INSERT INTO ${baselineTable} FORMAT JSONEachRow`.text;
    const client = await clickhouseClientInsert(host, NATIVE_PORT, insertStatement, rowsFile);
    const baselineStored = await checkStoredOnce(
      engine,
      baselineTable,
      EVENTS,
      "clickhouse-client",
    );
    progress(
      `clickhouse-client: ${client.seconds.toFixed(2)} s; stored ${JSON.stringify(baselineStored)}`,
    );
    await dropDatabase(engine, baselineDatabase);
    rmSync(rowsFile);

    writeFileSync(
      configFile,
      `kafka:
  brokers: [${BROKERS.split(",")
    .map((broker) => JSON.stringify(broker))
    .join(", ")}]
  groupId: dwbench-${suffix}
  topicPartitions: ${PARTITIONS}
  topics:
    predictions: ${topics.predictions}
    labels: ${topics.labels}
    dlq: ${topics.dlq}
clickhouse:
  url: ${CLICKHOUSE_URL}
  database: ${database}
server:
  host: 127.0.0.1
  port: 0
ingest:
  batchMaxRows: ${BATCH_ROWS}
`,
    );
    progress(`the ingester: serve --role ingest (ingest.batchMaxRows ${BATCH_ROWS})`);
    const ingester = await runIngester(configFile, engine, tableRef(database, "predictions"));
    // After the ingester has stopped (its last batch flushed): every event once.
    const stored = await checkStoredOnce(
      engine,
      tableRef(database, "predictions"),
      EVENTS,
      "the ingester",
    );
    progress(
      `ingester: ${ingester.seconds.toFixed(2)} s after a ${ingester.startupSeconds.toFixed(1)} s start-up; stored ${JSON.stringify(stored)}`,
    );

    const kcatRate = EVENTS / kcat.seconds;
    const clientRate = EVENTS / client.seconds;
    const eventsPerS = EVENTS / ingester.seconds;
    const baseline = Math.min(kcatRate, clientRate);
    process.stdout.write(
      JSON.stringify({
        events_per_s: Math.round(eventsPerS),
        baseline_events_per_s: Math.round(baseline),
        ratio: Number((eventsPerS / baseline).toFixed(3)),
        ratio_vs_clickhouse_client: Number((eventsPerS / clientRate).toFixed(3)),
        peak_rss_mb: Number(ingester.peakRssMb.toFixed(1)),
        events: EVENTS,
        stored_rows: stored.rows,
        stored_distinct_events: stored.distinct,
        baseline_stored_rows: baselineStored.rows,
        baseline_stored_distinct_events: baselineStored.distinct,
        materialized_views: views.length,
        batch_max_rows: BATCH_ROWS,
        kcat_events_per_s: Math.round(kcatRate),
        clickhouse_client_events_per_s: Math.round(clientRate),
        ingester_seconds: Number(ingester.seconds.toFixed(2)),
        ingester_startup_seconds: Number(ingester.startupSeconds.toFixed(2)),
        ingester_cpu_seconds: Number(ingester.cpuSeconds.toFixed(2)),
        batches: ingester.batches,
        batch_write_seconds: Number(ingester.writeSeconds.toFixed(2)),
        backpressure_seconds: Number(ingester.backpressureSeconds.toFixed(2)),
      }) + "\n",
    );
  } finally {
    await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
    await admin.close();
    await dropDatabase(engine, database).catch(() => undefined);
    await dropDatabase(engine, baselineDatabase).catch(() => undefined);
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  progress(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
