// One ingest run of `bench:cluster`: N `serve --role ingest` instances in one consumer group (each
// on its own ClickHouse server) consume the already produced topic into a fresh database. Wall time
// from the moment all N are ready ("ingester started") to all stored; what was stored before that
// moment is left out of the rate. CPU seconds from /proc/<pid>/stat over the same interval, for the
// instances and for each kind of server whose pid is known (the cluster's; not the shared stack's).
// Then the exactly-once check: count() FINAL (per shard, on the local tables) and
// uniqExact(event_id) must equal the events sent, else it throws.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { sql, tableRef, type SqlEngine } from "../src/store/index.js";
import {
  countRows,
  cpuSeconds,
  peakRssMb,
  spawnIngester,
  waitForStored,
  writeIngestConfig,
  type IngestConfig,
  type IngesterChild,
} from "./ingest_run.js";

const READY_TIMEOUT_MS = 180_000;
const STALL_MS = 90_000;

export interface IngestRunOptions {
  readonly label: string;
  readonly dir: string;
  /** The config of every instance but the ClickHouse URL and the group. */
  readonly config: Omit<IngestConfig, "clickhouseUrl" | "groupId">;
  readonly groupId: string;
  /** One per instance (instance i talks to urls[i % length]). */
  readonly clickhouseUrls: readonly string[];
  readonly instances: number;
  readonly events: number;
  /** Queries the fixed table names (the Distributed tables on a cluster). */
  readonly engine: SqlEngine;
  /** The replicas of each shard (for the local tables); empty on a single node. */
  readonly shards: readonly (readonly SqlEngine[])[];
  readonly servers: () => readonly { readonly kind: string; readonly pid: number }[];
  readonly progress: (line: string) => void;
}

export interface IngestRunFigures {
  instances: number;
  events: number;
  events_measured: number;
  seconds: number;
  events_per_s: number;
  startup_seconds: number;
  instance_cpu_seconds: number;
  cpu_ms_per_event: number;
  events_per_cpu_second: number;
  server_cpu_ms_per_event: Record<string, number>;
  machine_busy_cores: number;
  peak_rss_mb: number[];
  batches: number;
  batch_write_s_mean: number;
  storage_bytes_per_event: number;
  shard_rows: number[];
  shard_rows_per_s: number[];
  stored_rows: number;
  stored_rows_final: number;
  stored_distinct_events: number;
  load_average_1m: [number, number];
}

/** Busy and total jiffies of the whole machine (/proc/stat's first line). */
function machineJiffies(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1);
  const values = fields.map(Number);
  const idle = values[3]! + (values[4] ?? 0);
  const total = values.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

/** Rows in each shard's local table: the most any of its replicas holds (the other may lag). */
async function shardCounts(
  shards: readonly (readonly SqlEngine[])[],
  database: string,
): Promise<number[]> {
  return Promise.all(
    shards.map(async (replicas) => {
      const counts = await Promise.all(
        replicas.map((replica) => countRows(replica, tableRef(database, "predictions_local"))),
      );
      return Math.max(...counts);
    }),
  );
}

/** SYSTEM SYNC REPLICA on every replica: each has fetched every part the others hold. */
async function syncReplicas(
  shards: readonly (readonly SqlEngine[])[],
  database: string,
): Promise<void> {
  for (const replica of shards.flat()) {
    await replica.command(sql`SYSTEM SYNC REPLICA ${tableRef(database, "predictions_local")}`);
  }
}

/** Wait until every instance has logged "ingester started"; throws if one exits or it takes too long. */
async function allReady(ingesters: readonly IngesterChild[]): Promise<number> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    const exited = ingesters.find((ingester) => ingester.child.exitCode !== null);
    if (exited !== undefined)
      throw new Error(`an ingester exited before it was ready:\n${exited.logs().slice(-3_000)}`);
    const times = ingesters.map((ingester) => ingester.readyAt());
    if (times.every((time) => time !== undefined)) return Math.max(...times);
    if (performance.now() > deadline) throw new Error("the ingesters were not ready in 180 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function sumCpu(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

/** CPU seconds used so far, summed by kind of server. */
export function serverCpuByKind(
  servers: readonly { kind: string; pid: number }[],
): Map<string, number> {
  const byKind = new Map<string, number>();
  for (const server of servers) {
    byKind.set(server.kind, (byKind.get(server.kind) ?? 0) + cpuSeconds(server.pid));
  }
  return byKind;
}

const first = (replicas: readonly SqlEngine[]): SqlEngine => replicas[0]!;

/** The sum of every sample of `name` (any labels) in Prometheus text. */
function sampleSum(text: string, name: string): number {
  let sum = 0;
  for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "gm"))) {
    sum += Number(match[1]);
  }
  return sum;
}

/** Bytes on disk of the database's active parts: one replica of each shard (one copy of the data). */
async function bytesOnDisk(options: IngestRunOptions, database: string): Promise<number> {
  const engines = options.shards.length === 0 ? [options.engine] : options.shards.map(first);
  const sizes = await Promise.all(
    engines.map(async (engine) => {
      const [row] = await engine.query<{ bytes: number }>(
        sql`SELECT sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = ${database} AND active`,
      );
      return Number(row?.bytes ?? 0);
    }),
  );
  return sizes.reduce((sum, bytes) => sum + bytes, 0);
}

/** Rows (count() FINAL) summed over the shards' local tables, or of the table on a single node. */
async function finalRows(options: IngestRunOptions, database: string): Promise<number> {
  const engines = options.shards.length === 0 ? [options.engine] : options.shards.map(first);
  const table = tableRef(
    database,
    options.shards.length === 0 ? "predictions" : "predictions_local",
  );
  const counts = await Promise.all(
    engines.map(async (engine) => {
      const [row] = await engine.query<{ n: number }>(sql`SELECT count() AS n FROM ${table} FINAL`);
      return Number(row?.n ?? 0);
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

export async function runIngest(options: IngestRunOptions): Promise<IngestRunFigures> {
  const { database } = options.config;
  const predictions = tableRef(database, "predictions");
  const ingesters: IngesterChild[] = [];
  const round = (value: number, digits = 3) => Number(value.toFixed(digits));
  try {
    for (let i = 0; i < options.instances; i++) {
      const file = join(options.dir, `${options.label}-${i}.yaml`);
      writeIngestConfig(file, {
        ...options.config,
        groupId: options.groupId,
        clickhouseUrl: options.clickhouseUrls[i % options.clickhouseUrls.length]!,
      });
      ingesters.push(spawnIngester(file));
    }
    const spawnedAt = Math.min(...ingesters.map((ingester) => ingester.spawnedAt));
    const readyAt = await allReady(ingesters);
    const pids = ingesters.map((ingester) => ingester.child.pid!);
    const cpuBefore = sumCpu(pids);
    const serversBefore = serverCpuByKind(options.servers());
    const machineBefore = machineJiffies();
    const loadBefore = loadavg()[0]!;
    const storedBefore = await countRows(options.engine, predictions);
    const shardsBefore = await shardCounts(options.shards, database);
    options.progress(
      `${options.label}: ${options.instances} instance(s) ready after ` +
        `${((readyAt - spawnedAt) / 1000).toFixed(1)} s, ${storedBefore} rows stored by then`,
    );
    const stored = await waitForStored({
      engine: options.engine,
      table: predictions,
      target: options.events,
      ingesters,
      stallMs: STALL_MS,
      progress: (line) => options.progress(`${options.label}: ${line}`),
    });
    const doneAt = performance.now();
    const cpu = sumCpu(pids) - cpuBefore;
    const serversAfter = serverCpuByKind(options.servers());
    const machineAfter = machineJiffies();
    const seconds = (doneAt - readyAt) / 1000;
    const measured = stored - storedBefore;
    const peaks = pids.map((pid) => round(peakRssMb(pid), 1));
    const shardsAfter = await shardCounts(options.shards, database);
    // A batch's duration is observed after its commit, a moment after its rows show.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    let batches = 0;
    let writeSeconds = 0;
    for (const ingester of ingesters) {
      const metrics = await ingester.metrics();
      batches += sampleSum(metrics, "driftwatch_ingest_batch_duration_seconds_count");
      writeSeconds += sampleSum(metrics, "driftwatch_ingest_batch_duration_seconds_sum");
    }
    await Promise.all(ingesters.map((ingester) => ingester.stop(options.progress)));
    ingesters.length = 0;
    await syncReplicas(options.shards, database);
    const [check] = await options.engine.query<{ rows: number; distinct: number }>(
      sql`SELECT count() AS rows, uniqExact(event_id) AS distinct FROM ${predictions}`,
    );
    const rows = Number(check?.rows ?? 0);
    const distinct = Number(check?.distinct ?? 0);
    const final = await finalRows(options, database);
    if (final !== options.events || distinct !== options.events) {
      throw new Error(
        `${options.label}: sent ${options.events} events, stored count() FINAL ${final}, ` +
          `uniqExact(event_id) ${distinct} (count() ${rows}): not exactly once`,
      );
    }
    const serverCpu: Record<string, number> = {};
    for (const [kind, after] of serversAfter) {
      serverCpu[kind] = round(((after - (serversBefore.get(kind) ?? after)) / measured) * 1000, 4);
    }
    return {
      instances: options.instances,
      events: options.events,
      events_measured: measured,
      seconds: round(seconds, 2),
      events_per_s: Math.round(measured / seconds),
      startup_seconds: round((readyAt - spawnedAt) / 1000, 2),
      instance_cpu_seconds: round(cpu, 2),
      cpu_ms_per_event: round((cpu / measured) * 1000, 4),
      events_per_cpu_second: Math.round(measured / cpu),
      server_cpu_ms_per_event: serverCpu,
      // /proc/stat counts 100 jiffies a second per core: busy cores of the whole (shared) machine.
      machine_busy_cores: round((machineAfter.busy - machineBefore.busy) / 100 / seconds, 2),
      peak_rss_mb: peaks,
      batches,
      batch_write_s_mean: batches === 0 ? 0 : round(writeSeconds / batches),
      storage_bytes_per_event: round((await bytesOnDisk(options, database)) / options.events, 1),
      shard_rows: shardsAfter,
      shard_rows_per_s: shardsAfter.map((after, k) =>
        Math.round((after - shardsBefore[k]!) / seconds),
      ),
      stored_rows: rows,
      stored_rows_final: final,
      stored_distinct_events: distinct,
      load_average_1m: [round(loadBefore, 2), round(loadavg()[0]!, 2)],
    };
  } finally {
    await Promise.all(ingesters.map((ingester) => ingester.stop(options.progress)));
  }
}
