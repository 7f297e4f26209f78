// driftwatch alerts on its own failure (real Kafka, ClickHouse 18.16 and a local Slack Web API
// server): with a producer, the ingester and the evaluator running, the built-in rules stay quiet;
// then stopping the producer raises "model silent", stopping the ingester raises "ingest lag", and
// making ClickHouse refuse the evaluator raises "evaluation stalled" and "evaluation failing" —
// each reaching Slack — and the heartbeat always fires. The same figures are gauges on /metrics.
import { afterEach, expect, it } from "vitest";
import { SELF_RULE_NAMES } from "../../../src/config/schema/alerts/self-monitoring.js";
import { parseConfig } from "../../../src/config/index.js";
import { createMetricsRegistry } from "../../../src/metrics/index.js";
import type { Monitor } from "../../../src/monitor/index.js";
import { createEvaluation } from "../../../src/service/evaluation.js";
import { sql, tableRef } from "../../../src/store/index.js";
import { createLogger } from "../../../src/util/logger.js";
import { waitFor } from "../../support/clock.js";
import {
  createIngestTestEnv,
  type IngestTestEnv,
  produce,
  type RunningIngester,
  startIngester,
} from "../../support/ingest.js";
import { SlackApiServer } from "../../support/peers.js";
import { brokers } from "../../support/stack.js";

let env: IngestTestEnv | undefined;
let ingester: RunningIngester | undefined;
let monitor: Monitor | undefined;
let slack: SlackApiServer | undefined;
let producing: { stop: boolean; done?: Promise<void> } | undefined;

afterEach(async () => {
  if (producing !== undefined) {
    producing.stop = true;
    await producing.done;
  }
  await monitor?.stop();
  await ingester?.ingester.stop();
  await slack?.stop();
  await env?.cleanup();
  env = undefined;
  ingester = undefined;
  monitor = undefined;
  slack = undefined;
  producing = undefined;
});

/** Events of `model` stamped now, a few every 200 ms, until stopped. */
function stream(
  environment: IngestTestEnv,
  model: string,
): { stop: boolean; done?: Promise<void> } {
  const state: { stop: boolean; done?: Promise<void> } = { stop: false };
  let sequence = 0;
  state.done = (async () => {
    while (!state.stop) {
      const records = Array.from({ length: 5 }, () => {
        const id = `live-${sequence++}`;
        return {
          key: id,
          value: JSON.stringify({
            event_id: id,
            model,
            timestamp: Date.now(),
            features: { x: sequence % 10, region: sequence % 2 === 0 ? "EU" : "US" },
          }),
        };
      });
      await produce(environment.kafka, environment.topics.predictions, records);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return state;
}

/** Slack messages naming the alert `name` that are firing (not its [RESOLVED] follow-up). */
function firingMessages(server: SlackApiServer, name: string) {
  return server.calls.filter(
    (call) => !call.text.startsWith("[RESOLVED]") && JSON.stringify(call).includes(name),
  );
}

it("alerts through Slack when the producer, the ingester or ClickHouse fail it, and sends a heartbeat", async () => {
  env = await createIngestTestEnv("selfhealth");
  slack = new SlackApiServer();
  const slackUrl = await slack.start();
  const model = "credit-risk";
  const config = parseConfig(
    `kafka:
  brokers: ${JSON.stringify(brokers())}
  groupId: ${env.groupId}
  topics:
    predictions: ${env.topics.predictions}
    labels: ${env.topics.labels}
    dlq: ${env.topics.dlq}
    control: ${env.topics.predictions}.control
clickhouse:
  url: ${env.clickhouseUrl}
  database: ${env.database}
monitor:
  tickInterval: 1s
models:
  - name: ${model}
    interval: 10s
alerts:
  slackApiUrl: ${slackUrl}
  receivers:
    - name: ops
      slack: { token: "\${SLACK_TOKEN}", channel: "#driftwatch-ops" }
  route: { receivers: [ops], groupBy: [alertname], groupWait: 0s, groupInterval: 1s, repeatInterval: 1h }
  engine: { tickInterval: 200ms }
  delivery: { initialBackoff: 50ms, maxBackoff: 200ms }
  selfMonitoring:
    ingestLag: 5s
    heartbeat: { enabled: true }
`,
    { env: { SLACK_TOKEN: "xoxb-test" } },
  );
  ingester = await startIngester(env, { batchMaxWaitMs: 100 });
  producing = stream(env, model);
  const registry = createMetricsRegistry();
  // The monitor with the alert engine it feeds, wired as `serve` wires them.
  monitor = createEvaluation({
    config,
    engine: env.engine,
    registry,
    logger: createLogger("self-health-test", "silent"),
    kafka: env.kafka,
    electionSessionTimeoutMs: 6_000,
    tickMs: 1_000,
  }).monitor;
  await monitor.start();

  // The heartbeat fires at once; the healthy service raises nothing else.
  await waitFor(
    "the heartbeat in Slack",
    async () => firingMessages(slack!, "driftwatch-heartbeat").length,
    (n) => n >= 1,
    60_000,
  );
  await waitFor(
    "a model with traffic",
    async () => (await registry.getSingleMetric("driftwatch_health_ingested_rows")!.get()).values,
    (values) => values.some((value) => value.labels.model === model && value.value > 0),
    60_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const healthy = SELF_RULE_NAMES.flatMap((name) => firingMessages(slack!, name));
  expect(healthy.map((call) => call.text)).toEqual([]);

  // 1. The producer stops: no event of the model for a whole interval.
  producing.stop = true;
  await producing.done;
  producing = undefined;
  await waitFor(
    "the model-silent alert in Slack",
    async () => firingMessages(slack!, "driftwatch-model-silent").length,
    (n) => n >= 1,
    90_000,
  );

  // 2. The ingester stops while events keep coming: the oldest waiting message ages.
  await ingester.ingester.stop();
  ingester = undefined;
  producing = stream(env, model);
  await waitFor(
    "the ingest-lag alert in Slack",
    async () => firingMessages(slack!, "driftwatch-ingest-lag").length,
    (n) => n >= 1,
    90_000,
  );
  const lag = (await registry.getSingleMetric("driftwatch_health_ingest_lag_seconds")!.get())
    .values[0]!.value;
  expect(lag).toBeGreaterThan(5);

  // 3. ClickHouse refuses the evaluator (the table it plans windows from is gone).
  await env.engine.command(
    sql`RENAME TABLE ${tableRef(env.database, "predictions")} TO ${tableRef(env.database, "predictions_gone")}`,
  );
  await waitFor(
    "the evaluation-failing and evaluation-stalled alerts in Slack",
    async () => [
      firingMessages(slack!, "driftwatch-evaluation-failing").length,
      firingMessages(slack!, "driftwatch-evaluation-stalled").length,
    ],
    ([failing, stalled]) => failing! >= 1 && stalled! >= 1,
    90_000,
  );
  const ages = (await registry.getSingleMetric("driftwatch_health_evaluation_age_seconds")!.get())
    .values;
  expect(ages.find((value) => value.labels.model === model)!.value).toBeGreaterThan(20);
  // Every message went to the configured channel with the bot token.
  expect(new Set(slack.calls.map((call) => `${call.channel} ${call.token}`))).toEqual(
    new Set(["#driftwatch-ops xoxb-test"]),
  );
});
