// Slack notifications against a local server speaking the Slack Web API: token, channel and
// Block Kit content; the resolve in the episode's thread; 429 + Retry-After waited for; 5xx
// retried; invalid_auth not retried and logged; incoming-webhook URLs.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AlertEngine } from "../../../alerts/engine/alert-engine.js";
import { sampleNotification } from "../../../alerts/sample-notification.js";
import { createSlackIntegration } from "../../../alerts/notifiers/slack.js";
import { deliver } from "../../../alerts/pipeline/deliver.js";
import { ManualClock } from "../../../alerts/time/manual-clock.js";
import { alertsConfig } from "../../support/config.js";
import { HttpReceiver, json, SlackApiServer } from "../../support/peers.js";
import { captureLog, memoryDelivery } from "./support.js";
import { T0 } from "../../support/clock.js";

const TOKEN = "xoxb-1111-2222-secret-token";

let slack: SlackApiServer;
let apiUrl: string;

beforeEach(async () => {
  slack = new SlackApiServer();
  apiUrl = await slack.start();
});
afterEach(async () => {
  await slack.stop();
});

function integration(
  extra: Record<string, unknown> = {},
  logger?: ReturnType<typeof captureLog>["logger"],
) {
  return createSlackIntegration({
    receiver: "ml-team",
    config: { token: TOKEN, channel: "#ml-alerts", sendResolved: true, ...extra },
    slackApiUrl: apiUrl,
    settings: { grafanaUrl: "http://grafana.local:3000", grafanaDashboardUid: "driftwatch-model" },
    timeoutMs: 5_000,
    ...(logger !== undefined ? { logger } : {}),
  });
}

const meta = (id: string) => ({
  notificationId: id,
  groupKey: "g",
  rule: "r",
  model: "m",
  receiver: "ml-team",
  kind: "firing" as const,
  firing: [],
  resolved: [],
  detail: "",
});

describe("Slack integration (local Slack Web API server)", () => {
  it("posts Block Kit to the channel with the token, and the resolve in the thread", async () => {
    const config = alertsConfig({
      slackApiUrl: apiUrl,
      grafanaUrl: "http://grafana.local:3000",
      route: { receivers: ["ml-team"], groupWait: "0s", groupInterval: "1m" },
      receivers: [{ name: "ml-team", slack: { token: TOKEN, channel: "#ml-alerts" } }],
      rules: [
        {
          name: "feature-drift",
          result: "drift",
          metric: "psi",
          threshold: 0.2,
          annotations: { runbookUrl: "https://runbooks.example.com/drift" },
        },
      ],
    });
    const clock = new ManualClock(T0);
    const engine = new AlertEngine({ config, clock });
    await engine.start({ loop: false });
    const window = {
      model: "credit-risk",
      modelVersion: "7",
      windowStart: T0 - 3_600_000,
      windowEnd: T0,
    };
    engine.processBatch({
      ...window,
      observations: [
        { kind: "drift", metric: "psi", feature: "income", value: 0.31, threshold: 0.2 },
        { kind: "drift", metric: "psi", feature: "region <EU>", value: 0.27, threshold: 0.2 },
        { kind: "drift", metric: "psi", feature: "age", value: 0.01, threshold: 0.2 },
      ],
    });
    engine.tick();
    await engine.whenIdle();
    expect(slack.calls).toHaveLength(1);
    const call = slack.calls[0]!;
    expect(call.token).toBe(TOKEN);
    expect(call.channel).toBe("#ml-alerts");
    expect(call.threadTs).toBeUndefined();
    expect(call.text).toBe("[FIRING:2] feature-drift on credit-risk");
    const blocks = JSON.stringify(call.blocks);
    expect(call.blocks[0]).toMatchObject({
      type: "header",
      text: { type: "plain_text", text: "[FIRING:2] feature-drift on credit-risk" },
    });
    expect(blocks).toContain("*Model*\\ncredit-risk");
    expect(blocks).toContain("*Severity*\\n:large_orange_circle: warning");
    expect(blocks).toContain("*Window*\\n2026-11-23 07:00:00 UTC → 2026-11-23 08:00:00 UTC");
    expect(blocks).toContain("income — psi 0.31 vs threshold 0.2");
    // Free text is escaped for mrkdwn.
    expect(blocks).toContain("region &lt;EU&gt; — psi 0.27 vs threshold 0.2");
    expect(blocks).not.toContain("age —");
    expect(blocks).toMatch(
      /<http:\/\/grafana\.local:3000\/d\/driftwatch-model\?orgId=1&var-model=credit-risk&from=\d+&to=\d+&viewPanel=2\|Grafana dashboard>/,
    );
    expect(blocks).toContain("<https://runbooks.example.com/drift|Runbook>");

    clock.advance(60_000);
    engine.processBatch({
      ...window,
      windowStart: T0,
      windowEnd: T0 + 3_600_000,
      observations: ["income", "region <EU>", "age"].map((feature) => ({
        kind: "drift" as const,
        metric: "psi",
        feature,
        value: 0.01,
        threshold: 0.2,
      })),
    });
    engine.tick();
    await engine.whenIdle();
    expect(slack.calls).toHaveLength(2);
    const resolve = slack.calls[1]!;
    expect(resolve.text).toBe("[RESOLVED] feature-drift on credit-risk");
    expect(resolve.threadTs).toBe("1700000000.000001");
    expect(JSON.stringify(resolve.blocks)).toContain("*Resolved*");
    await engine.stop();
  });

  it("waits for Retry-After after a 429, then delivers", async () => {
    slack.script.push(json({ ok: false, error: "ratelimited" }, 429, { "Retry-After": "1" }));
    const { context, rows, recorder } = memoryDelivery({ initialBackoffMs: 10 });
    const outcome = await deliver(
      integration(),
      sampleNotification("ml-team", Date.now()),
      meta("n1"),
      context,
    );
    expect(outcome.result.ok).toBe(true);
    expect(outcome.attempts).toBe(2);
    const [first, second] = slack.calls;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
    await recorder.flush();
    expect(rows.map((row) => [row.attempt, row.status, row.reason, row.responseCode])).toEqual([
      [1, "retrying", "rate_limited", 429],
      [2, "delivered", "", 200],
    ]);
  });

  it("retries 5xx answers", async () => {
    slack.script.push({ status: 500, body: "oops" }, { status: 503, body: "unavailable" });
    const { context, rows, recorder } = memoryDelivery();
    const outcome = await deliver(
      integration(),
      sampleNotification("ml-team", Date.now()),
      meta("n2"),
      context,
    );
    expect(outcome.result.ok).toBe(true);
    expect(slack.calls).toHaveLength(3);
    await recorder.flush();
    expect(rows.map((row) => [row.status, row.reason, row.responseCode])).toEqual([
      ["retrying", "server_error", 500],
      ["retrying", "server_error", 503],
      ["delivered", "", 200],
    ]);
  });

  it("does not retry invalid_auth, logs it, and never logs the token", async () => {
    slack.script.push(json({ ok: false, error: "invalid_auth" }));
    const log = captureLog();
    const { context, rows, recorder } = memoryDelivery({}, { logger: log.logger });
    const outcome = await deliver(
      integration({}, log.logger),
      sampleNotification("ml-team", Date.now()),
      meta("n3"),
      context,
    );
    expect(outcome.result).toMatchObject({ ok: false, retryable: false, reason: "auth" });
    expect(slack.calls).toHaveLength(1);
    await recorder.flush();
    expect(rows.map((row) => [row.status, row.reason, row.lastError])).toEqual([
      ["failed", "auth", "slack error invalid_auth"],
    ]);
    const failures = log.lines.filter(
      (line) => line.msg === "notification failed and cannot be retried",
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      reason: "auth",
      integration: "slack",
      receiver: "ml-team",
    });
    expect(log.text()).not.toContain(TOKEN);
  });

  it("posts to an incoming-webhook URL and keeps the URL out of errors", async () => {
    const hook = new HttpReceiver();
    const base = await hook.start();
    const url = `${base}/services/T000/B000/webhook-secret-part`;
    try {
      const webhook = createSlackIntegration({
        receiver: "hooked",
        config: { webhookUrl: url, sendResolved: true },
        slackApiUrl: apiUrl,
        settings: { grafanaDashboardUid: "driftwatch-model" },
        timeoutMs: 5_000,
      });
      const { context } = memoryDelivery();
      const ok = await deliver(
        webhook,
        sampleNotification("hooked", Date.now()),
        meta("n4"),
        context,
      );
      expect(ok.result.ok).toBe(true);
      const body = JSON.parse(hook.requests[0]!.body) as { text: string; blocks: unknown[] };
      expect(body.text).toBe("[FIRING:2] driftwatch-test on driftwatch-test");
      expect(body.blocks.length).toBeGreaterThan(2);
      hook.script.push({ status: 404, body: `no_service ${url}` });
      const failed = await deliver(
        webhook,
        sampleNotification("hooked", Date.now()),
        meta("n5"),
        context,
      );
      expect(failed.result).toMatchObject({ ok: false, retryable: false, reason: "auth" });
      expect(failed.result.ok ? "" : failed.result.error).not.toContain("webhook-secret-part");
    } finally {
      await hook.stop();
    }
  });
});
