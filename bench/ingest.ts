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
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
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
import {
  BASELINE_INSERT_BLOCK_ROWS,
  clickhouseClientInsert,
  kcatRead,
} from "./ingest_baselines.js";
import {
  BENCH_BASE_TIME_MS,
  checkStoredOnce,
  peakRssMb,
  produceBenchEvents,
  sample,
  spawnIngester,
  waitForStored,
  writeIngestConfig,
  type TableRef,
} from "./ingest_run.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const PARTITIONS = 3;
/**
 * DESIGN: "batch inserts (10k–100k rows or ~1 s)". 50k rows (ingest.batchMaxRows' default) is
 * ~0.6 s of events at this rate: fewer, larger parts than 10k, half the buffer memory of 100k.
 */
const BATCH_ROWS = Number(process.env.BENCH_BATCH_ROWS ?? 50_000);
const BROKERS = process.env.DRIFTWATCH_KAFKA_BROKERS ?? "localhost:9092";
const CLICKHOUSE_URL = process.env.DRIFTWATCH_CLICKHOUSE_URL ?? "http://localhost:8123";
/** How long the stored count may stay still before the ingester's run is given up on. */
const STALL_MS = 60_000;
const NATIVE_PORT = Number(process.env.DRIFTWATCH_CLICKHOUSE_NATIVE_PORT ?? 9000);

function progress(message: string): void {
  process.stderr.write(`bench:ingest: ${message}\n`);
}

/** Materialized views of a database (the work an insert into predictions fans out to). */
async function materializedViews(engine: SqlEngine, database: string): Promise<string[]> {
  const rows = await engine.query<{ name: string }>(
    sql`SELECT name FROM system.tables WHERE database = ${database} AND engine = 'MaterializedView' ORDER BY name`,
  );
  return rows.map((row) => row.name);
}

/** Produce the events and write the same rows, as the ingester builds them, to a JSONEachRow file. */
async function produceAndWriteRows(topic: string, rowsFile: string): Promise<number> {
  const rows = createWriteStream(rowsFile);
  try {
    return await produceBenchEvents({
      brokers: BROKERS.split(","),
      topic,
      count: EVENTS,
      progress,
      async onBatch(events, from) {
        let text = "";
        events.forEach((value, k) => {
          const verdict = validatePrediction(
            {
              topic,
              partition: 0,
              offset: from + k,
              timestampMs: BENCH_BASE_TIME_MS,
              value: Buffer.from(value),
            },
            { maxEventBytes: 1_048_576 },
            Math.floor(Date.now() / 1000),
          );
          if (!verdict.ok) throw new Error(`bench event ${from + k} is invalid: ${verdict.detail}`);
          text += JSON.stringify(verdict.row) + "\n";
        });
        if (!rows.write(text)) await once(rows, "drain");
      },
    });
  } finally {
    rows.end();
    await once(rows, "close");
  }
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

async function runIngester(
  configFile: string,
  engine: SqlEngine,
  predictions: TableRef,
): Promise<IngesterRun> {
  const ingester = spawnIngester(configFile);
  try {
    await waitForStored({
      engine,
      table: predictions,
      target: EVENTS,
      ingesters: [ingester],
      stallMs: STALL_MS,
      progress,
    });
    const done = performance.now();
    const peak = peakRssMb(ingester.child.pid!);
    const metrics = await ingester.metrics();
    const from = ingester.readyAt() ?? ingester.spawnedAt;
    return {
      seconds: (done - from) / 1000,
      startupSeconds: (from - ingester.spawnedAt) / 1000,
      peakRssMb: peak,
      batches: sample(metrics, "driftwatch_ingest_batch_duration_seconds_count"),
      writeSeconds: sample(metrics, "driftwatch_ingest_batch_duration_seconds_sum"),
      backpressureSeconds: sample(metrics, "driftwatch_ingest_backpressure_seconds_total"),
      cpuSeconds: sample(metrics, "driftwatch_process_cpu_seconds_total"),
    };
  } finally {
    await ingester.stop(progress);
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
        `${baselineDatabase}.predictions (same migrations, ${baselineViews.length} materialized views, ` +
        `${BASELINE_INSERT_BLOCK_ROWS}-row blocks)`,
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

    writeIngestConfig(configFile, {
      brokers: BROKERS.split(","),
      groupId: `dwbench-${suffix}`,
      partitions: PARTITIONS,
      topics,
      clickhouseUrl: CLICKHOUSE_URL,
      database,
      batchRows: BATCH_ROWS,
    });
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
