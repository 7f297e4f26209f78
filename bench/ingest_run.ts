// Pieces shared by the ingest benchmarks (`bench:ingest`, `bench:cluster`): producing the bench
// events, writing an ingester's config, running `serve --role ingest` as a child process and
// reading its figures (/metrics, /proc), waiting for the stored count, and the exactly-once check.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createKafkaClient } from "../src/kafka/index.js";
import { sql, type tableRef, type SqlEngine } from "../src/store/index.js";
import { createLogger } from "../src/util/logger.js";
import { benchEvents, SeededRandom } from "./ingest_events.js";

export const PRODUCE_BATCH = 5_000;
/** The timestamp of bench event 0 (event i is i ms later). */
export const BENCH_BASE_TIME_MS = Date.UTC(2026, 10, 23);
const MAIN_JS = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

export type TableRef = ReturnType<typeof tableRef>;

export async function countRows(engine: SqlEngine, table: TableRef): Promise<number> {
  const [row] = await engine.query<{ n: number }>(sql`SELECT count() AS n FROM ${table}`);
  return Number(row?.n ?? 0);
}

export interface Stored {
  readonly rows: number;
  readonly distinct: number;
}

/**
 * Every event sent stored exactly once: count() (rows, duplicates included until a merge) and
 * uniqExact(event_id) both equal to `sent`; throws naming the shortfall or the doubles.
 */
export async function checkStoredOnce(
  engine: SqlEngine,
  table: TableRef,
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

/**
 * Produce events 0…count-1 (bench/ingest_events.ts) to `topic`, PRODUCE_BATCH at a time;
 * `onBatch` sees each batch's texts while it is being sent. Returns the seconds it took.
 */
export async function produceBenchEvents(options: {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly count: number;
  readonly progress: (line: string) => void;
  readonly onBatch?: (events: readonly string[], from: number) => Promise<void>;
}): Promise<number> {
  const kafka = createKafkaClient(
    { brokers: [...options.brokers], clientId: "bench-ingest" },
    createLogger("bench", "warn"),
  );
  const producer = kafka.producer();
  await producer.connect();
  const random = new SeededRandom(42);
  const started = performance.now();
  try {
    for (let from = 0; from < options.count; from += PRODUCE_BATCH) {
      const size = Math.min(PRODUCE_BATCH, options.count - from);
      const events = benchEvents(from, size, random, BENCH_BASE_TIME_MS);
      const sending = producer.send(
        options.topic,
        events.map((value, k) => ({ key: `bench-${from + k}`, value })),
      );
      await options.onBatch?.(events, from);
      await sending;
      if ((from / PRODUCE_BATCH) % 40 === 0) options.progress(`produced ${from + size} events`);
    }
  } finally {
    await producer.close();
  }
  return (performance.now() - started) / 1000;
}

export interface IngestConfig {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly partitions: number;
  /** Omitted: the config's default. */
  readonly replicationFactor?: number;
  readonly topics: { readonly predictions: string; readonly labels: string; readonly dlq: string };
  readonly clickhouseUrl: string;
  readonly database: string;
  /** The ClickHouse cluster the schema lives on (clickhouse.cluster). */
  readonly cluster?: string;
  readonly batchRows: number;
}

/** Write the YAML config of an ingesting instance to `file`. */
export function writeIngestConfig(file: string, config: IngestConfig): void {
  const lines = [
    "kafka:",
    `  brokers: [${config.brokers.map((broker) => JSON.stringify(broker)).join(", ")}]`,
    `  groupId: ${config.groupId}`,
    `  topicPartitions: ${config.partitions}`,
    ...(config.replicationFactor === undefined
      ? []
      : [`  replicationFactor: ${config.replicationFactor}`]),
    "  topics:",
    `    predictions: ${config.topics.predictions}`,
    `    labels: ${config.topics.labels}`,
    `    dlq: ${config.topics.dlq}`,
    "clickhouse:",
    `  url: ${config.clickhouseUrl}`,
    `  database: ${config.database}`,
    ...(config.cluster === undefined ? [] : [`  cluster: ${config.cluster}`]),
    "server:",
    "  host: 127.0.0.1",
    "  port: 0",
    "ingest:",
    `  batchMaxRows: ${config.batchRows}`,
  ];
  writeFileSync(file, `${lines.join("\n")}\n`);
}

/** A running `serve --role ingest` child. */
export interface IngesterChild {
  readonly child: ChildProcess;
  readonly spawnedAt: number;
  /** performance.now() when it logged "ingester started", if it has. */
  readyAt(): number | undefined;
  /** The tail of its log (stderr). */
  logs(): string;
  /** Its /metrics text ("" when it has not said which port it serves on). */
  metrics(): Promise<string>;
  /** SIGTERM, then wait for the exit; logs the tail unless it exited with 0. */
  stop(progress: (line: string) => void): Promise<void>;
}

/** Spawn `serve --role ingest --config <file>` with no DRIFTWATCH_* variables but the log level. */
export function spawnIngester(configFile: string): IngesterChild {
  const env: NodeJS.ProcessEnv = { ...process.env, DRIFTWATCH_LOG_LEVEL: "info" };
  for (const name of Object.keys(env)) {
    if (name.startsWith("DRIFTWATCH_") && name !== "DRIFTWATCH_LOG_LEVEL") delete env[name];
  }
  const spawnedAt = performance.now();
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter((arg) => arg !== "");
  const child = spawn(
    process.execPath,
    [...nodeArgs, MAIN_JS, "serve", "--role", "ingest", "--config", configFile],
    { env, stdio: ["ignore", "ignore", "pipe"] },
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
  return {
    child,
    spawnedAt,
    readyAt: () => readyAt,
    logs: () => logs,
    async metrics() {
      const port = /"port":(\d+),"msg":"serving \/metrics/.exec(logs)?.[1];
      return port === undefined ? "" : (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    },
    async stop(progress) {
      if (child.exitCode === null) child.kill("SIGTERM");
      const code = await exited;
      if (code !== 0) progress(`ingester exited with ${code}:\n${logs.slice(-2_000)}`);
    },
  };
}

/**
 * Poll the stored count every 250 ms until it reaches `target`; gives up (returns the count)
 * when it stayed still for `stallMs` — events lost on the way would keep it short for ever.
 * Throws if an ingester exits meanwhile.
 */
export async function waitForStored(options: {
  readonly engine: SqlEngine;
  readonly table: TableRef;
  readonly target: number;
  readonly ingesters: readonly IngesterChild[];
  readonly stallMs: number;
  readonly progress: (line: string) => void;
}): Promise<number> {
  let stored = 0;
  let lastReport = performance.now();
  let lastGrowth = performance.now();
  while (stored < options.target) {
    for (const ingester of options.ingesters) {
      if (ingester.child.exitCode !== null)
        throw new Error(`an ingester exited early:\n${ingester.logs().slice(-3_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await countRows(options.engine, options.table);
    if (now !== stored) lastGrowth = performance.now();
    stored = now;
    if (performance.now() - lastGrowth > options.stallMs) {
      options.progress(
        `no new rows for ${options.stallMs / 1000} s at ${stored} of ${options.target}: stopping`,
      );
      break;
    }
    if (performance.now() - lastReport > 5_000) {
      lastReport = performance.now();
      options.progress(`ingester stored ${stored} rows`);
    }
  }
  return stored;
}

/** The value of an unlabelled sample in Prometheus text. */
export function sample(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return match === null ? Number.NaN : Number(match[1]);
}

/** VmHWM (peak resident set size) of a process, in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  if (match === null) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (100 ticks/s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces: the fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
