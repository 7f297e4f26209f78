// `npm run bench:alerts`: figures of the alert engine against a local Slack-Web-API-compatible
// server, with the delivery log written to ClickHouse (own database, dropped afterwards).
// 1. latency: a result batch handed to the engine → the chat.postMessage request arriving at the
//    Slack server (group_wait 0; target < 2 s + group_wait), over sequential batches.
// 2. throughput: notifications per second for many groups at once (target ≥ 200/s), delivery log on.
// Prints ONE JSON line. Progress goes to stderr.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseConfig } from "../src/config/index.js";
import {
  applyMigrations,
  createHttpEngine,
  dropDatabase,
  sql,
  tableRef,
} from "../src/store/index.js";
import { AlertEngine } from "../alerts/index.js";

const log = (line: string): void => {
  process.stderr.write(`bench:alerts: ${line}\n`);
};
const LATENCY_SAMPLES = Number(process.env.BENCH_ALERTS_LATENCY_SAMPLES ?? 30);
const THROUGHPUT_GROUPS = Number(process.env.BENCH_ALERTS_GROUPS ?? 2000);

/** A minimal Slack Web API: chat.postMessage answers ok and reports each arrival. */
async function slackServer(
  onMessage: (text: string, at: number) => void,
): Promise<{ url: string; server: Server }> {
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const at = performance.now();
      const fields = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      count++;
      onMessage(fields.get("text") ?? "", at);
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(
        JSON.stringify({
          ok: true,
          channel: "C1",
          ts: `1700000000.${String(count).padStart(6, "0")}`,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, server };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function main(): Promise<void> {
  const database = `dw_bench_alerts_${randomBytes(4).toString("hex")}`;
  const store = createHttpEngine({
    url: process.env.DRIFTWATCH_CLICKHOUSE_URL ?? "http://localhost:8123",
  });
  await applyMigrations(store, database);
  const arrivals = new Map<string, number>();
  const slack = await slackServer((text, at) => {
    const model = / on (\S+)$/.exec(text)?.[1];
    if (model !== undefined && !arrivals.has(model)) arrivals.set(model, at);
  });
  const config = parseConfig(
    `alerts:
  slackApiUrl: ${slack.url}
  route: { receivers: [ml-team], groupWait: 0s, groupInterval: 5m }
  receivers:
    - name: ml-team
      slack: { token: xoxb-bench, channel: "#bench" }
  rules:
    - { name: feature-drift, result: drift, metric: psi, threshold: 0.2 }
  engine: { tickInterval: 1s, stateFlushInterval: 1s }
  delivery: { logFlushInterval: 1s }
`,
    { env: {} },
  ).alerts;
  const engine = new AlertEngine({ config, store: { engine: store, database } });
  await engine.start();
  try {
    const now = Date.now();
    const batch = (model: string) => ({
      model,
      windowStart: now - 3_600_000,
      windowEnd: now,
      observations: Array.from({ length: 20 }, (_, index) => ({
        kind: "drift" as const,
        metric: "psi",
        feature: `f${index}`,
        value: 0.35,
      })),
    });

    log(`latency: ${LATENCY_SAMPLES} sequential batches (20 drifting features each)`);
    const latencies: number[] = [];
    for (let sample = 0; sample < LATENCY_SAMPLES; sample++) {
      const model = `latency-${sample}`;
      const start = performance.now();
      engine.processBatch(batch(model));
      while (!arrivals.has(model)) await new Promise((resolve) => setTimeout(resolve, 1));
      latencies.push(arrivals.get(model)! - start);
    }
    latencies.sort((a, b) => a - b);

    log(`throughput: ${THROUGHPUT_GROUPS} groups at once`);
    await engine.whenIdle();
    const start = performance.now();
    for (let index = 0; index < THROUGHPUT_GROUPS; index++)
      engine.processBatch(batch(`load-${index}`));
    const accepted = performance.now();
    while (
      [...arrivals.keys()].filter((key) => key.startsWith("load-")).length < THROUGHPUT_GROUPS
    ) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const elapsed = (performance.now() - start) / 1000;
    await engine.whenIdle();
    await engine.persist();
    const [logged] = await store.query<{ rows: number }>(
      sql`SELECT count() AS rows FROM ${tableRef(database, "notifications")} WHERE status = 'delivered'`,
    );
    const figures = {
      latency_group_wait_s: 0,
      latency_p50_ms: Number(percentile(latencies, 0.5).toFixed(1)),
      latency_p95_ms: Number(percentile(latencies, 0.95).toFixed(1)),
      latency_max_ms: Number(latencies[latencies.length - 1]!.toFixed(1)),
      latency_target_ms: 2000,
      throughput_notifications: THROUGHPUT_GROUPS,
      throughput_alerts: THROUGHPUT_GROUPS * 20,
      throughput_batches_processed_s: Number(((accepted - start) / 1000).toFixed(3)),
      throughput_elapsed_s: Number(elapsed.toFixed(3)),
      notifications_per_s: Math.round(THROUGHPUT_GROUPS / elapsed),
      notifications_per_s_target: 200,
      delivery_log_rows: Number(logged?.rows ?? 0),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await engine.stop();
    slack.server.closeAllConnections();
    slack.server.close();
    await dropDatabase(store, database);
    await store.close();
  }
}

await main();
