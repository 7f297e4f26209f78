// The evaluator SIGKILLed in the middle of a window's evaluation (its results written, the window
// not yet recorded as evaluated, its alerts not yet processed), on a private ClickHouse and Kafka:
// after a restart that window is evaluated again — its results rewritten exactly once — every
// other window stays evaluated once, and the drift alert of that window is sent once, not twice.
import { writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createMetricsRegistry } from "../../src/metrics/index.js";
import { createMonitor } from "../../src/monitor/index.js";
import { parseConfig } from "../../src/config/index.js";
import {
  applyMigrations,
  createHttpEngine,
  sql,
  tableRef,
  type SqlEngine,
} from "../../src/store/index.js";
import { createLogger } from "../../src/util/logger.js";
import { exitWithin } from "../support/cli.js";
import { waitFor } from "../support/clock.js";
import { insertEvents } from "../support/monitor.js";
import { HttpReceiver } from "../support/peers.js";
import { killServeChildren, spawnServe } from "../support/serve.js";
import { startPrivateServers, type PrivateServers } from "./private-servers.js";

const HOUR = 3_600_000;
const MODEL = "fault-model";
const DATABASE = "dw_faults_monitor";

let servers: PrivateServers;
let engine: SqlEngine;
const receiver = new HttpReceiver();

beforeAll(async () => {
  servers = await startPrivateServers();
  engine = createHttpEngine({ url: servers.clickhouse.url });
  await applyMigrations(engine, DATABASE);
  await receiver.start();
});

afterEach(killServeChildren);

afterAll(async () => {
  await receiver.stop();
  await engine?.close();
  await servers?.destroy();
});

function configYaml(): string {
  return `server: { port: 0, host: 127.0.0.1 }
clickhouse: { url: ${servers.clickhouse.url}, database: ${DATABASE} }
kafka:
  brokers: ${JSON.stringify(servers.kafka.brokers)}
  groupId: faults-monitor
  topicPartitions: 1
  topics:
    predictions: faults.predictions
    labels: faults.labels
    dlq: faults.dlq
    control: faults.control
monitor: { tickInterval: 1s, electionSessionTimeout: 6s }
models:
  - name: ${MODEL}
    interval: 1h
    labelDelay: 0s
    minRows: 50
    backfillWindows: 24
alerts:
  route: { receivers: [hooks], groupWait: 0s, groupInterval: 1s, repeatInterval: 24h }
  receivers:
    - name: hooks
      webhook: { url: "${receiver.url}/alerts" }
  rules:
    - { name: dataset-drift, result: drift_share, severity: critical }
  selfMonitoring: { enabled: false }
`;
}

/** Rows per window start (epoch s) of a table, as stored (merges are stopped: copies stay). */
async function rowsPerWindow(table: string): Promise<Map<number, number>> {
  const rows = await engine.query<{ w: number; n: number }>(sql`
    SELECT toUInt32(window_start) AS w, count() AS n FROM ${tableRef(DATABASE, table)}
    WHERE model = ${MODEL} GROUP BY w ORDER BY w`);
  return new Map(rows.map((row) => [Number(row.w), Number(row.n)]));
}

it("re-evaluates a window whose evaluator died mid-way once, and sends its alert once", async () => {
  for (const table of ["evaluated_windows", "drift_results", "performance_results"]) {
    await engine.command(sql`SYSTEM STOP MERGES ${tableRef(DATABASE, table)}`);
  }
  // Four quiet hours (the reference), then an hour whose x has shifted by one σ.
  const base = Math.floor(Date.now() / HOUR) * HOUR;
  const first = base - 6 * HOUR;
  const drifted = base - 2 * HOUR;
  await insertEvents(engine, DATABASE, {
    model: MODEL,
    from: first,
    to: drifted,
    rows: 2_000,
    seed: 1,
  });
  await insertEvents(engine, DATABASE, {
    model: MODEL,
    from: drifted,
    to: drifted + HOUR,
    rows: 500,
    seed: 2,
    shift: 1,
  });
  const dir = mkdtempSync(join(tmpdir(), "dw-faults-monitor-"));
  const configPath = join(dir, "driftwatch.yaml");
  writeFileSync(configPath, configYaml());
  const config = parseConfig(configYaml(), { env: {} });
  await createMonitor({
    config,
    engine,
    registry: createMetricsRegistry(),
    logger: createLogger("faults-monitor", "silent"),
  }).setReference(MODEL, "1", { kind: "fixed", from: first, to: drifted }, { name: "test" });

  // Windows are evaluated in time order: the fifth is the drifted hour. The evaluator dies after
  // writing its results, before recording it and before its alert is processed.
  const killed = spawnServe(configPath, "monitor", { plan: "monitor.results-written=kill@5" });
  expect(await exitWithin(killed, 120_000)).toBe("SIGKILL");
  expect(killed.stderr()).toContain("driftwatch-test-hook monitor.results-written 5\n");
  const driftedKey = drifted / 1000;
  const beforeRestart = await rowsPerWindow("drift_results");
  expect(beforeRestart.has(driftedKey)).toBe(true);
  expect((await rowsPerWindow("evaluated_windows")).has(driftedKey)).toBe(false);
  expect(receiver.to("/alerts")).toEqual([]);

  const restarted = spawnServe(configPath, "monitor");
  await waitFor(
    "the drifted window recorded and its alert delivered",
    async () => [
      (await rowsPerWindow("evaluated_windows")).get(driftedKey) ?? 0,
      receiver.to("/alerts").length,
    ],
    ([recorded, delivered]) => recorded! >= 1 && delivered! >= 1,
    120_000,
  );
  // Let a second evaluation or a second notification show up if there were one.
  await new Promise((resolve) => setTimeout(resolve, 5_000));

  const windows = await rowsPerWindow("evaluated_windows");
  // Every window of the data (and the empty hour after it) recorded once.
  expect([...windows.keys()].slice(0, 5)).toEqual(
    [0, 1, 2, 3, 4].map((hour) => (first + hour * HOUR) / 1000),
  );
  expect([...windows.values()].every((records) => records === 1)).toBe(true);
  // The drifted window's results: written by the killed evaluator, then once more.
  const afterRestart = await rowsPerWindow("drift_results");
  expect(afterRestart.get(driftedKey)).toBe(2 * beforeRestart.get(driftedKey)!);
  // The windows evaluated before the kill were not evaluated again.
  for (const [window, rows] of beforeRestart) {
    if (window !== driftedKey) expect(afterRestart.get(window)).toBe(rows);
  }
  const deliveries = receiver.to("/alerts").map(
    (request) =>
      JSON.parse(request.body) as {
        status: string;
        alerts: { labels: Record<string, string> }[];
      },
  );
  expect(deliveries.map((payload) => payload.status)).toEqual(["firing"]);
  expect(deliveries[0]!.alerts.map((alert) => alert.labels.alertname)).toEqual(["dataset-drift"]);
  restarted.process.kill("SIGTERM");
  expect(await exitWithin(restarted, 30_000)).toBe(0);
});
