// `npm run bench:cluster` (issue 15): ingestion and evaluation on the cluster stack (3 Kafka
// brokers, RF 3, min.insync 2; ClickHouse 2 shards × 2 replicas) against the single-node stack in
// the same run.
// - Ingest: BENCH_EVENTS events (default 300,000; 20 features, bench/ingest_events.ts) produced
//   once to a 6-partition RF 3 topic, then consumed by 1, 2 and 3 `serve --role ingest`
//   instances (one consumer group, each instance on its own ClickHouse server, a fresh database
//   per run): events/s from all ready to all stored, CPU ms per event summed over the instances
//   (and per kind of cluster server), peak RSS per instance, rows/s into each shard's local table,
//   and exactly once (count() FINAL and uniqExact(event_id) = sent, else exit 1). Baseline: one
//   instance on the single-node stack (6 partitions, RF 1) on the same events.
// - Evaluation: a 1-hour window of BENCH_CLUSTER_EVAL_ROWS rows (default 1,000,000) × 20 numeric
//   features against a reference day of as many rows (bench/evaluate_window.ts), today's path
//   (binned), cold and warm, medians of 3, on the cluster (through the Distributed tables) and
//   on the single node.
// The machine is shared: the load average and the machine's busy cores are printed beside each
// figure. Progress on stderr, one JSON line on stdout.
//
// Env: DRIFTWATCH_KAFKA_BROKERS and DRIFTWATCH_CLICKHOUSE_URL of the single-node stack (required:
// `eval "$(driftwatch stack env)"`), BENCH_EVENTS, BENCH_CLUSTER_INSTANCES (default "1,2,3"),
// BENCH_CLUSTER_EVAL_ROWS, BENCH_BATCH_ROWS (ingest.batchMaxRows, default 50000),
// BENCH_CLUSTER_DIR (+ BENCH_CLUSTER_BASE_PORT): reuse a running `stack up --cluster` there
// instead of starting one in a temp directory.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createKafkaClient, type Admin } from "../src/kafka/index.js";
import {
  applyMigrations,
  createHttpEngine,
  dropDatabase,
  type SqlEngine,
} from "../src/store/index.js";
import { createLogger } from "../src/util/logger.js";
import { runIngest, serverCpuByKind, type IngestRunFigures } from "./cluster_ingest.js";
import { benchCluster, type BenchCluster } from "./cluster_stack.js";
import { evaluateWindow, type EvaluationFigures } from "./cluster_evaluate.js";
import { produceBenchEvents } from "./ingest_run.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 300_000);
const INSTANCES = (process.env.BENCH_CLUSTER_INSTANCES ?? "1,2,3").split(",").map(Number);
const EVAL_ROWS = Number(process.env.BENCH_CLUSTER_EVAL_ROWS ?? 1_000_000);
const BATCH_ROWS = Number(process.env.BENCH_BATCH_ROWS ?? 50_000);
const PARTITIONS = 6;

const progress = (line: string): void => {
  process.stderr.write(`bench:cluster: ${line}\n`);
};
const round = (value: number) => Number(value.toFixed(4));

function singleNode(): { brokers: string[]; url: string } {
  const brokers = process.env.DRIFTWATCH_KAFKA_BROKERS;
  const url = process.env.DRIFTWATCH_CLICKHOUSE_URL;
  if (brokers === undefined || brokers === "" || url === undefined || url === "") {
    throw new Error(
      "the single-node baseline needs the local stack: set DRIFTWATCH_KAFKA_BROKERS and " +
        'DRIFTWATCH_CLICKHOUSE_URL (`driftwatch stack up`, then eval "$(driftwatch stack env)")',
    );
  }
  return { brokers: brokers.split(","), url };
}

function topicsFor(suffix: string, where: string) {
  return {
    predictions: `dwbench.${suffix}.${where}.predictions`,
    labels: `dwbench.${suffix}.${where}.labels`,
    dlq: `dwbench.${suffix}.${where}.dlq`,
  };
}

function adminFor(brokers: readonly string[]): Admin {
  return createKafkaClient(
    { brokers: [...brokers], clientId: "bench-cluster" },
    createLogger("bench", "error"),
  ).admin();
}

/**
 * Create the topics and wait until their partitions answer (a cluster just started may still say
 * "This server does not host this topic-partition"): up to 10 tries, 3 s apart.
 */
async function createTopics(
  admin: Admin,
  topics: Record<string, string>,
  replicationFactor: number,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.ensureTopics(
        Object.values(topics).map((topic) => ({
          topic,
          partitions: PARTITIONS,
          replicationFactor,
        })),
      );
      for (const topic of Object.values(topics)) await admin.watermarks(topic);
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
      progress(
        `topics not ready (${error instanceof Error ? error.message : String(error)}); again in 3 s`,
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  }
}

/** Delete those of the topics that exist. */
async function deleteTopics(admin: Admin, topics: Record<string, string>): Promise<void> {
  const existing = new Set(await admin.listTopics());
  await admin.deleteTopics(Object.values(topics).filter((topic) => existing.has(topic)));
}

/** Cores each kind of cluster server uses while nothing is sent (heartbeats, KRaft, ZooKeeper ticks). */
async function idleCores(cluster: BenchCluster, seconds: number): Promise<Record<string, number>> {
  const before = serverCpuByKind(cluster.serverPids());
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const idle: Record<string, number> = {};
  for (const [kind, after] of serverCpuByKind(cluster.serverPids()))
    idle[kind] = round((after - (before.get(kind) ?? after)) / seconds);
  return idle;
}

/** CPU seconds the cluster's three brokers have used so far (they take the produced events, RF 3). */
function brokerCpuSeconds(cluster: BenchCluster): number {
  return serverCpuByKind(cluster.serverPids()).get("kafka") ?? 0;
}

async function main(): Promise<void> {
  const single = singleNode();
  const suffix = randomBytes(4).toString("hex");
  const dir = mkdtempSync(join(tmpdir(), "dw-bench-cluster-run-"));
  const loadAtStart = loadavg().map(round);
  progress(`load average at start ${loadAtStart.join(" ")}; ${EVENTS} events per ingest run`);
  let cluster: BenchCluster | undefined;
  const engines: SqlEngine[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    cluster = await benchCluster(progress);
    const up = cluster.up;
    const clusterName = up.env.DRIFTWATCH_CLICKHOUSE_CLUSTER;
    const clusterBrokers = up.env.DRIFTWATCH_KAFKA_BROKERS.split(",");
    progress(
      `cluster ${clusterName}${cluster.reused ? " (reused)" : ""}: ${up.clickhouse.length} ` +
        `ClickHouse servers, ${up.kafka.length} brokers`,
    );
    const clusterEngine = createHttpEngine({
      url: up.clickhouse[0]!.url,
      cluster: clusterName,
      requestTimeoutMs: 1_800_000,
    });
    const singleEngine = createHttpEngine({ url: single.url, requestTimeoutMs: 1_800_000 });
    const serverEngines = up.clickhouse.map((server) =>
      createHttpEngine({ url: server.url, requestTimeoutMs: 600_000 }),
    );
    // The replicas of each shard, by shard number.
    const shardEngines = [...new Set(up.clickhouse.map((server) => server.shard))]
      .sort((a, b) => a - b)
      .map((shard) => serverEngines.filter((_, k) => up.clickhouse[k]!.shard === shard));
    engines.push(clusterEngine, singleEngine, ...serverEngines);

    const clusterTopics = topicsFor(suffix, "cluster");
    const singleTopics = topicsFor(suffix, "single");
    const clusterAdmin = adminFor(clusterBrokers);
    const singleAdmin = adminFor(single.brokers);
    await clusterAdmin.connect();
    await singleAdmin.connect();
    cleanups.push(async () => {
      await deleteTopics(clusterAdmin, clusterTopics).catch(() => undefined);
      await clusterAdmin.close();
    });
    cleanups.push(async () => {
      await deleteTopics(singleAdmin, singleTopics).catch(() => undefined);
      await singleAdmin.close();
    });
    await createTopics(clusterAdmin, clusterTopics, 3);
    await createTopics(singleAdmin, singleTopics, 1);
    const serverIdleCores = await idleCores(cluster, 10);
    progress(`cluster servers while idle, cores: ${JSON.stringify(serverIdleCores)}`);
    progress(`producing ${EVENTS} events to the cluster (${PARTITIONS} partitions, RF 3)`);
    const brokersCpuBefore = brokerCpuSeconds(cluster);
    const produceCluster = await produceBenchEvents({
      brokers: clusterBrokers,
      topic: clusterTopics.predictions,
      count: EVENTS,
      progress,
    });
    const brokerCpuMsPerEventProduced = round(
      ((brokerCpuSeconds(cluster) - brokersCpuBefore) / EVENTS) * 1000,
    );
    progress(`producing ${EVENTS} events to the single node (${PARTITIONS} partitions, RF 1)`);
    const produceSingle = await produceBenchEvents({
      brokers: single.brokers,
      topic: singleTopics.predictions,
      count: EVENTS,
      progress,
    });

    // Single node: the baseline.
    const singleDatabase = `dw_bench_cluster_${suffix}_single`;
    cleanups.push(() => dropDatabase(singleEngine, singleDatabase));
    await applyMigrations(singleEngine, singleDatabase);
    const baseline = await runIngest({
      label: "single node",
      dir,
      config: {
        brokers: single.brokers,
        partitions: PARTITIONS,
        topics: singleTopics,
        database: singleDatabase,
        batchRows: BATCH_ROWS,
      },
      groupId: `dwbench-${suffix}-single`,
      clickhouseUrls: [single.url],
      instances: 1,
      events: EVENTS,
      engine: singleEngine,
      shards: [],
      servers: () => [],
      progress,
    });
    progress(`single node: ${JSON.stringify(baseline)}`);

    const runs: IngestRunFigures[] = [];
    for (const instances of INSTANCES) {
      const database = `dw_bench_cluster_${suffix}_n${instances}`;
      cleanups.push(() => dropDatabase(clusterEngine, database));
      progress(`migrations ON CLUSTER ${clusterName} for ${database}`);
      await applyMigrations(clusterEngine, database);
      const figures = await runIngest({
        label: `cluster, ${instances} instance(s)`,
        dir,
        config: {
          brokers: clusterBrokers,
          partitions: PARTITIONS,
          replicationFactor: 3,
          topics: clusterTopics,
          database,
          cluster: clusterName,
          batchRows: BATCH_ROWS,
        },
        groupId: `dwbench-${suffix}-n${instances}`,
        clickhouseUrls: up.clickhouse.map((server) => server.url),
        instances,
        events: EVENTS,
        engine: clusterEngine,
        shards: shardEngines,
        servers: () => cluster!.serverPids(),
        progress,
      });
      progress(`cluster, ${instances} instance(s): ${JSON.stringify(figures)}`);
      runs.push(figures);
      // The database's rows are no longer needed: free the servers' disk and merges.
      await dropDatabase(clusterEngine, database);
    }

    const evalCluster = `dw_bench_cluster_${suffix}_eval`;
    const evalSingle = `dw_bench_cluster_${suffix}_eval_single`;
    cleanups.push(() => dropDatabase(clusterEngine, evalCluster));
    cleanups.push(() => dropDatabase(singleEngine, evalSingle));
    progress(`evaluation on the cluster: ${EVAL_ROWS} window rows × 20 features`);
    await applyMigrations(clusterEngine, evalCluster);
    const evaluationCluster: EvaluationFigures = await evaluateWindow({
      engine: clusterEngine,
      settle: serverEngines,
      database: evalCluster,
      rows: EVAL_ROWS,
      progress,
    });
    await dropDatabase(clusterEngine, evalCluster);
    progress(`evaluation on the single node`);
    await applyMigrations(singleEngine, evalSingle);
    const evaluationSingle = await evaluateWindow({
      engine: singleEngine,
      settle: [singleEngine],
      database: evalSingle,
      rows: EVAL_ROWS,
      progress,
    });
    await dropDatabase(singleEngine, evalSingle);

    const one = runs.find((run) => run.instances === 1);
    process.stdout.write(
      `${JSON.stringify({
        bench: "cluster",
        events: EVENTS,
        partitions: PARTITIONS,
        batch_max_rows: BATCH_ROWS,
        cluster: {
          shards: shardEngines.length,
          replicas_per_shard: up.clickhouse.length / shardEngines.length,
          brokers: up.kafka.length,
          replication_factor: 3,
          reused: cluster.reused,
        },
        server_idle_cores: serverIdleCores,
        broker_cpu_ms_per_event_produced: brokerCpuMsPerEventProduced,
        produce_events_per_s: {
          cluster: Math.round(EVENTS / produceCluster),
          single_node: Math.round(EVENTS / produceSingle),
        },
        ingest_single_node: baseline,
        ingest_cluster: runs,
        ratio_cluster_1_vs_single_node:
          one === undefined ? null : round(one.events_per_s / baseline.events_per_s),
        ratio_cpu_per_event_cluster_1_vs_single_node:
          one === undefined ? null : round(one.cpu_ms_per_event / baseline.cpu_ms_per_event),
        evaluation: {
          window_rows: EVAL_ROWS,
          features: 20,
          cluster: evaluationCluster,
          single_node: evaluationSingle,
          ratio_cold_cluster_vs_single_node: round(
            evaluationCluster.cold_s / evaluationSingle.cold_s,
          ),
          ratio_warm_cluster_vs_single_node: round(
            evaluationCluster.warm_s / evaluationSingle.warm_s,
          ),
        },
        load_average: { start: loadAtStart, end: loadavg().map(round) },
        cores: availableParallelism(),
        servers: {
          cluster: await clusterEngine.serverVersion(),
          single_node: await singleEngine.serverVersion(),
        },
      })}\n`,
    );
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    for (const engine of engines) await engine.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  progress(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
