// Every receiver down at once — the Slack Web API server, the SMTP server and a webhook target
// really stopped (connections refused), for at least two retry cycles each — then back on their
// ports: the firing notification and, later, the resolve reach each of them exactly once, nothing
// lost and nothing doubled, and the delivery log (ClickHouse) shows the failed attempts.
import { afterAll, beforeAll, expect, it } from "vitest";
import { AlertEngine } from "../../../alerts/engine/alert-engine.js";
import { DeliveryLogStore } from "../../../alerts/store/delivery-log-store.js";
import { applyMigrations, dropDatabase, type SqlEngine } from "../../../src/store/index.js";
import { waitFor } from "../../support/clock.js";
import { alertsConfig } from "../../support/config.js";
import { HttpReceiver, SlackApiServer, SmtpPeer } from "../../support/peers.js";
import { serverEngine, uniqueDatabase } from "../../support/stack.js";

let sqlEngine: SqlEngine;
const database = uniqueDatabase("alerts_peers_down");
const slack = new SlackApiServer();
const smtp = new SmtpPeer();
const webhook = new HttpReceiver();

beforeAll(async () => {
  sqlEngine = serverEngine();
  await applyMigrations(sqlEngine, database);
});

afterAll(async () => {
  await Promise.all([slack.stop(), smtp.stop(), webhook.stop()]);
  await dropDatabase(sqlEngine, database);
  await sqlEngine.close();
});

function batch(drifted: boolean, windowStart: number) {
  return {
    model: "credit-risk",
    modelVersion: "1",
    windowStart,
    windowEnd: windowStart + 60_000,
    observations: [
      {
        kind: "drift_share" as const,
        metric: "drift_share",
        value: drifted ? 0.8 : 0.1,
        threshold: 0.5,
        drifted,
      },
    ],
  };
}

it("delivers the firing and the resolve once to Slack, email and a webhook that were all down", async () => {
  // Ports of the three peers, then all three down before anything is sent.
  const slackPort = Number(new URL(await slack.start()).port);
  const smtpPort = await smtp.start();
  const webhookPort = Number(new URL(await webhook.start()).port);
  await Promise.all([slack.stop(), smtp.stop(), webhook.stop()]);

  const config = alertsConfig(
    {
      slackApiUrl: `http://127.0.0.1:${slackPort}/api/`,
      receivers: [
        {
          name: "everyone",
          slack: { token: "${SLACK_TOKEN}", channel: "#ml" },
          email: {
            to: ["ml@example.com"],
            from: "driftwatch@example.com",
            smtp: { host: "127.0.0.1", port: smtpPort },
          },
          webhook: { url: `http://127.0.0.1:${webhookPort}/alerts` },
        },
      ],
      route: {
        receivers: ["everyone"],
        groupWait: "0s",
        groupInterval: "1s",
        repeatInterval: "24h",
      },
      rules: [{ name: "dataset-drift", result: "drift_share", severity: "critical" }],
      delivery: {
        maxAttempts: 40,
        initialBackoff: "200ms",
        maxBackoff: "400ms",
        logFlushInterval: "200ms",
      },
      engine: { tickInterval: "100ms", stateFlushInterval: "200ms" },
      selfMonitoring: { enabled: false },
    },
    { SLACK_TOKEN: "xoxb-peers-down" },
  );
  const engine = new AlertEngine({ config, store: { engine: sqlEngine, database } });
  await engine.start();
  try {
    const t0 = Date.now();
    engine.processBatch(batch(true, t0 - 60_000));
    const log = new DeliveryLogStore(sqlEngine, database);
    // At least two failed attempts per integration, recorded in the delivery log.
    await waitFor(
      "two failed attempts of every integration",
      async () => {
        const attempts = await log.attempts({ sinceMs: t0 - 60_000 });
        const failed = (integration: string) =>
          attempts.filter(
            (row) => row.integration.startsWith(integration) && row.status === "retrying",
          ).length;
        return [failed("slack"), failed("email"), failed("webhook")];
      },
      (counts) => counts.every((count) => count >= 2),
      60_000,
    );
    expect(slack.calls).toEqual([]);
    expect(smtp.mails).toEqual([]);
    expect(webhook.requests).toEqual([]);

    // Back on their ports: the firing notification reaches each one.
    await Promise.all([slack.start(slackPort), smtp.start(smtpPort), webhook.start(webhookPort)]);
    await waitFor(
      "the firing notification everywhere",
      async () => [slack.calls.length, smtp.mails.length, webhook.requests.length],
      (counts) => counts.every((count) => count >= 1),
      60_000,
    );
    engine.processBatch(batch(false, t0));
    await waitFor(
      "the resolve everywhere",
      async () => [slack.calls.length, smtp.mails.length, webhook.requests.length],
      (counts) => counts.every((count) => count >= 2),
      60_000,
    );
    // A second copy of either would arrive within a few retry periods.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(slack.calls.map((call) => (/RESOLVED/.test(call.text) ? "resolved" : "firing"))).toEqual(
      ["firing", "resolved"],
    );
    expect(
      smtp.mails.map((mail) => (/RESOLVED/.test(mail.subject) ? "resolved" : "firing")),
    ).toEqual(["firing", "resolved"]);
    expect(
      webhook.requests.map((request) => (JSON.parse(request.body) as { status: string }).status),
    ).toEqual(["firing", "resolved"]);
    await engine.persist();
    const delivered = (await log.attempts({ sinceMs: t0 - 60_000 })).filter(
      (row) => row.status === "delivered",
    );
    expect(
      delivered.map((row) => `${row.integration.split(/[:/]/)[0]} ${row.kind}`).sort(),
    ).toEqual([
      "email firing",
      "email resolved",
      "slack firing",
      "slack resolved",
      "webhook firing",
      "webhook resolved",
    ]);
  } finally {
    await engine.stop();
  }
});
