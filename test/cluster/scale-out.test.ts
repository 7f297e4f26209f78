// Scale-out on the real engines (issue 15): three `serve` instances on a 3-broker Kafka (RF 3,
// min.insync 2) and a 2-shard × 2-replica ClickHouse, one scenario on a cluster started once.
// 50,000 events (2,000 of them sent twice) flow in while a broker is SIGKILLed and restarted, a
// ClickHouse replica is stopped and restarted and the evaluating instance is SIGKILLed. Then:
// every event is stored exactly once (and both replicas of each shard hold the same rows), the
// evaluator role has moved to a survivor, the drift and performance figures of the drifted hour
// equal `driftwatch check` on the same rows exported from the cluster, and its alert fires once.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createKafkaClient, type OutgoingRecord } from "../../src/kafka/index.js";
import { createHttpEngine, sql, tableRef } from "../../src/store/index.js";
import { createLogger } from "../../src/util/logger.js";
import { runCli } from "../support/cli.js";
import { waitFor } from "../support/clock.js";
import { produce } from "../support/ingest.js";
import { HttpReceiver } from "../support/peers.js";
import {
  createServeTestEnv,
  killServeChildren,
  scrapeSamples,
  startServe,
  type ServeChild,
  type ServeTestEnv,
} from "../support/serve.js";
import { TOKENS } from "../support/tokens.js";
import { sharedTestCluster, type TestCluster } from "../support/cluster.js";
import { exportCsv, CHECK_FEATURES, clusterEvents } from "./scale-out-data.js";

const HOUR = 3_600_000;
const MODEL = "cluster-model";
/** The data sits three days back: only `POST …/evaluate` judges it (backfillWindows 1). */
const BASE = Math.floor(Date.now() / HOUR) * HOUR - 72 * HOUR;
const REFERENCE = { from: BASE, to: BASE + 4 * HOUR };
const WINDOW = { from: BASE + 4 * HOUR, to: BASE + 5 * HOUR };
const EVENTS = 50_000;
const RESENT = 2_000;

let cluster: TestCluster;
let env: ServeTestEnv;
const receiver = new HttpReceiver();
const dir = mkdtempSync(join(tmpdir(), "dw-cluster-"));

/** Progress of the long scenario, to the file DW_TEST_PROGRESS names (vitest shows output late). */
function note(message: string): void {
  const file = process.env.DW_TEST_PROGRESS;
  if (file !== undefined) appendFileSync(file, `${new Date().toISOString()} ${message}\n`);
}

beforeAll(async () => {
  cluster = await sharedTestCluster();
  await receiver.start();
  env = await createServeTestEnv("cluster", {
    brokers: cluster.env.DRIFTWATCH_KAFKA_BROKERS.split(","),
    clickhouseUrl: cluster.env.DRIFTWATCH_CLICKHOUSE_URL,
    cluster: cluster.env.DRIFTWATCH_CLICKHOUSE_CLUSTER,
    replicationFactor: 3,
    topicPartitions: 6,
  });
}, 900_000);

afterAll(async () => {
  note("cleaning up");
  await killServeChildren();
  await receiver.stop();
  await env?.cleanup().catch(() => undefined);
  note("stopping the cluster");
  await cluster?.stop();
  note("cluster stopped");
  rmSync(dir, { recursive: true, force: true });
}, 300_000);

/** The same config with another ClickHouse server: each instance talks to a server of its own. */
function configFor(base: string, clickhouseUrl: string, index: number): string {
  const path = join(dir, `driftwatch-${index}.yaml`);
  const text = readFileSync(base, "utf8").replace(
    cluster.env.DRIFTWATCH_CLICKHOUSE_URL,
    clickhouseUrl,
  );
  writeFileSync(path, text);
  return path;
}

async function evaluatorFlags(instances: readonly ServeChild[]): Promise<boolean[]> {
  return Promise.all(
    instances.map(async (child) => {
      const found = await scrapeSamples(child, "driftwatch_evaluator").catch(() => []);
      return found[0]?.value === 1;
    }),
  );
}

/** The one evaluator among `instances`, the same on two reads a few seconds apart. */
async function settledEvaluator(instances: readonly ServeChild[]): Promise<ServeChild> {
  const index = await waitFor(
    "exactly one evaluator, the same on two reads",
    async () => {
      const first = await evaluatorFlags(instances);
      if (first.filter(Boolean).length !== 1) return -1;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const second = await evaluatorFlags(instances);
      return second.indexOf(true) === first.indexOf(true) && second.filter(Boolean).length === 1
        ? first.indexOf(true)
        : -1;
    },
    (found) => found >= 0,
    120_000,
  );
  return instances[index]!;
}

async function stored(): Promise<{ rows: number; distinct: number }> {
  const [row] = await env.engine.query<{ rows: number; distinct: number }>(
    sql`SELECT count() AS rows, uniqExact(event_id) AS distinct
  FROM ${tableRef(env.database, "predictions")} FINAL WHERE model = ${MODEL}`,
  );
  return { rows: Number(row?.rows ?? 0), distinct: Number(row?.distinct ?? 0) };
}

/** Rows (duplicates collapsed) each ClickHouse server holds in its own `predictions_local`. */
async function perServer(): Promise<number[]> {
  return Promise.all(
    cluster.clickhouse.map(async (server) => {
      const engine = createHttpEngine({ url: server.url });
      try {
        const [row] = await engine.query<{ n: number }>(
          sql`SELECT count() AS n FROM ${tableRef(env.database, "predictions_local")} FINAL
  WHERE model = ${MODEL}`,
        );
        return Number(row?.n ?? 0);
      } finally {
        await engine.close();
      }
    }),
  );
}

it("stores 50,000 events once through broker, replica and instance failures; the evaluator moves; results equal check; one alert", async () => {
  const base = env.writeConfig(`monitor: { tickInterval: 2s, electionSessionTimeout: 6s }
models:
  - name: ${MODEL}
    interval: 1h
    labelDelay: 0s
    minRows: 50
    backfillWindows: 1
alerts:
  route: { receivers: [hooks], groupWait: 0s, groupInterval: 1s, repeatInterval: 24h }
  receivers:
    - name: hooks
      webhook: { url: "${receiver.url}/alerts" }
  rules:
    - { name: dataset-drift, result: drift_share, severity: critical }
  selfMonitoring: { enabled: false }
`);
  const instances = await Promise.all(
    [0, 1, 2].map((index) =>
      startServe(configFor(base, cluster.clickhouse[index]!.url, index), "all", {
        timeoutMs: 180_000,
      }),
    ),
  );
  const firstEvaluator = await settledEvaluator(instances);

  // 50,000 events and 2,000 resends (same event, later offset), in five rounds.
  const events = clusterEvents(MODEL, EVENTS, { reference: REFERENCE, window: WINDOW });
  const records: OutgoingRecord[] = [...events, ...events.slice(0, RESENT)];
  const rounds = [0, 1, 2, 3, 4].map((k) =>
    records.slice(Math.floor((k * records.length) / 5), Math.floor(((k + 1) * records.length) / 5)),
  );
  const kafka = createKafkaClient(
    { brokers: cluster.env.DRIFTWATCH_KAFKA_BROKERS.split(","), clientId: "dwtest-cluster" },
    createLogger("cluster-test", "silent"),
  );
  const send = (round: readonly OutgoingRecord[]) => produce(kafka, env.topics.predictions, round);
  const storedAtLeast = async (n: number, what: string) => {
    const state = await waitFor(what, stored, (found) => found.distinct >= n, 300_000);
    note(`${what}: ${JSON.stringify(state)}`);
  };

  await send(rounds[0]!);
  await storedAtLeast(5_000, "the first round being stored");
  // A broker dies: RF 3 with min.insync 2 keeps producing and consuming on the other two.
  const broker = cluster.server(cluster.kafka[1]!.name);
  await broker.kill();
  note(`killed ${broker.name}`);
  await send(rounds[1]!);
  await broker.start();
  note(`restarted ${broker.name}`);
  // A replica of shard 2 stops (no instance talks to it): inserts go to its partner.
  const replica = cluster.server(cluster.clickhouse[3]!.name);
  await replica.stop();
  note(`stopped ${replica.name}`);
  await send(rounds[2]!);
  // (The first three rounds hold no resend: every one of their events is new.)
  const firstThree = rounds[0]!.length + rounds[1]!.length + rounds[2]!.length;
  await storedAtLeast(firstThree, "three rounds stored, the last while a replica is down");
  await replica.start();
  note(`restarted ${replica.name}`);
  // The evaluating instance dies: its partitions and the evaluator role go to the survivors.
  firstEvaluator.process.kill("SIGKILL");
  await firstEvaluator.exited;
  note("killed the evaluating instance");
  await send(rounds[3]!);
  await send(rounds[4]!);

  const done = await waitFor(
    "every event stored",
    stored,
    (state) => state.distinct >= EVENTS,
    600_000,
  );
  note(`stored: ${JSON.stringify(done)}`);
  expect(done).toEqual({ rows: EVENTS, distinct: EVENTS });
  // Both replicas of each shard hold the same rows (the restarted one caught up); the shards
  // together hold every event once.
  const servers = await waitFor(
    "the replicas of each shard to agree",
    perServer,
    (counts) => counts[0] === counts[1] && counts[2] === counts[3],
    300_000,
  );
  expect(servers[0]! + servers[2]!).toBe(EVENTS);
  expect(servers[0]).toBeGreaterThan(EVENTS / 4);
  expect(servers[2]).toBeGreaterThan(EVENTS / 4);

  note(`per server: ${servers.join(", ")}`);
  const survivors = instances.filter((child) => child !== firstEvaluator);
  const evaluator = await settledEvaluator(survivors);

  // The drifted hour, judged now on the evaluator.
  const response = await fetch(`${evaluator.url}/api/v1/models/${MODEL}/evaluate`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKENS.writer}`, "content-type": "application/json" },
    body: JSON.stringify({ from: WINDOW.from, to: WINDOW.to }),
  });
  expect(response.status, await response.clone().text()).toBe(200);

  note("evaluated the drifted hour");
  await compareWithCheck();
  note("compared with check");

  await waitFor(
    "the drift alert delivered",
    async () => receiver.to("/alerts").length,
    (n) => n >= 1,
    120_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const deliveries = receiver.to("/alerts").map(
    (request) =>
      JSON.parse(request.body) as {
        status: string;
        alerts: { labels: Record<string, string> }[];
      },
  );
  expect(deliveries.map((payload) => payload.status)).toEqual(["firing"]);
  expect(deliveries[0]!.alerts.map((alert) => alert.labels.alertname)).toEqual(["dataset-drift"]);
}, 1_800_000);

interface CheckFigure {
  value: number | null;
}
interface CheckReport {
  columns: Record<
    string,
    {
      psi: number;
      js: number;
      ks?: { statistic: number; p_value: number };
      wasserstein?: number;
      chi2?: { statistic: number; p_value: number };
    }
  >;
  drift_share: number;
  drifted: boolean;
  performance?: { realized?: Record<string, CheckFigure>; estimated: Record<string, CheckFigure> };
}

/** The window's drift and performance rows against check on the rows exported from the cluster. */
async function compareWithCheck(): Promise<void> {
  const url = cluster.env.DRIFTWATCH_CLICKHOUSE_URL;
  const referenceFile = join(dir, "reference.csv");
  const currentFile = join(dir, "current.csv");
  const select = (range: { from: number; to: number }, withLabel = false) => ({
    url,
    database: env.database,
    model: MODEL,
    from: range.from,
    to: range.to,
    withLabel,
  });
  expect(await exportCsv(select(REFERENCE), referenceFile)).toBe(EVENTS * 0.8);
  expect(await exportCsv(select(WINDOW), currentFile)).toBe(EVENTS * 0.2);
  const labelledReference = join(dir, "reference-labelled.csv");
  const labelledCurrent = join(dir, "current-labelled.csv");
  await exportCsv(select(REFERENCE, true), labelledReference);
  await exportCsv(select(WINDOW, true), labelledCurrent);

  const drift = await runCli([
    "check",
    "--reference",
    referenceFile,
    "--current",
    currentFile,
    "--json",
  ]);
  expect([0, 1], drift.stderr).toContain(drift.code);
  const report = JSON.parse(drift.stdout) as CheckReport;
  expect(report.drifted).toBe(true);
  const results = await env.engine.query<{ feature: string; metric: string; value: number }>(
    sql`SELECT feature, metric, value FROM ${tableRef(env.database, "drift_results")} FINAL
  WHERE model = ${MODEL} AND window_start = toDateTime(${WINDOW.from / 1000})`,
  );
  const stored = (feature: string, metric: string) => {
    const row = results.find(
      (candidate) => candidate.feature === feature && candidate.metric === metric,
    );
    expect(row, `${feature} ${metric} stored`).toBeDefined();
    return Number(row!.value);
  };
  const close = (feature: string, metric: string, want: number | undefined, tolerance = 1e-9) => {
    expect(typeof want, `${feature} ${metric} reported by check`).toBe("number");
    const actual = stored(feature, metric);
    const scale = Math.max(Math.abs(actual), Math.abs(want!), 1e-300);
    expect(
      Math.abs(actual - want!),
      `${feature} ${metric}: driftwatch ${actual}, check ${want}`,
    ).toBeLessThanOrEqual(tolerance * scale);
  };
  const columns = [...CHECK_FEATURES.numeric, ...CHECK_FEATURES.categorical, "prediction"];
  expect(Object.keys(report.columns).sort()).toEqual([...columns].sort());
  for (const column of columns) {
    const feature = column === "prediction" ? "_prediction" : column;
    const expected = report.columns[column]!;
    close(feature, "psi", expected.psi);
    close(feature, "js", expected.js);
    if (expected.ks !== undefined) {
      close(feature, "ks_statistic", expected.ks.statistic);
      close(feature, "ks_p_value", expected.ks.p_value, 1e-6);
      close(feature, "wasserstein", expected.wasserstein);
    } else {
      close(feature, "chi2_statistic", expected.chi2?.statistic);
      close(feature, "chi2_p_value", expected.chi2?.p_value, 1e-6);
    }
  }
  close("_dataset", "drift_share", report.drift_share);

  const performance = await runCli([
    "check",
    "--reference",
    labelledReference,
    "--current",
    labelledCurrent,
    "--task",
    "binary",
    "--score-column",
    "prediction",
    "--label-column",
    "label",
    "--json",
  ]);
  expect([0, 1], performance.stderr).toContain(performance.code);
  const realized = (JSON.parse(performance.stdout) as CheckReport).performance!.realized!;
  const rows = await env.engine.query<{ metric: string; value: number }>(
    sql`SELECT metric, value FROM ${tableRef(env.database, "performance_results")} FINAL
  WHERE model = ${MODEL} AND window_start = toDateTime(${WINDOW.from / 1000})`,
  );
  for (const metric of ["accuracy", "roc_auc", "precision", "recall", "f1"]) {
    const row = rows.find((candidate) => candidate.metric === metric);
    expect(row, `${metric} stored`).toBeDefined();
    const want = realized[metric]!.value!;
    expect(
      Math.abs(Number(row!.value) - want),
      `${metric}: ${row!.value} vs ${want}`,
    ).toBeLessThanOrEqual(1e-9);
  }
}
