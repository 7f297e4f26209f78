// The contract every HTTP integration honours, checked for each one against a real local server:
// 5xx is retryable and then delivered, 429 carries Retry-After, 401/403 is `auth` and not
// retried, a refused connection is retryable, and no secret ever appears in an error.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Notification } from "../../../alerts/model/notification.js";
import type { RetrainRequest } from "../../../alerts/model/retrain-request.js";
import { createSlackIntegration } from "../../../alerts/notifiers/slack.js";
import type { DeliveryResult, Integration } from "../../../alerts/notifiers/types.js";
import {
  createRetrainIntegration,
  createWebhookIntegration,
} from "../../../alerts/notifiers/webhook.js";
import { sampleNotification } from "../../../alerts/sample-notification.js";
import { HttpReceiver, json, type ScriptedResponse } from "../../support/peers.js";

const SECRETS = [
  "xoxb-contract-secret-1",
  "hook-secret-contract-2",
  "gh-token-contract-3",
  "air-pass-contract-4",
  "jenkins-token-5",
  "kfp-token-contract-6",
];

interface Case {
  readonly name: string;
  readonly build: (url: string) => Integration<Notification> | Integration<RetrainRequest>;
  /** What this API answers on success. */
  readonly ok: ScriptedResponse;
  readonly message: () => Notification | RetrainRequest;
  /** The secrets this integration holds (it can only hide what it knows). */
  readonly secrets: readonly string[];
}

const notification = () => sampleNotification("r", Date.now());
const retrain = (): RetrainRequest => ({
  id: "0123456789abcdef0123456789abcdef",
  model: "credit",
  source: "api",
  reason: "contract",
  requestedAt: Date.now(),
  alerts: [],
  actions: ["a"],
});
const settings = { grafanaDashboardUid: "driftwatch-model" };
const options = { timeoutMs: 2_000 };

const CASES: Case[] = [
  {
    name: "slack chat.postMessage",
    secrets: [SECRETS[0]],
    build: (url) =>
      createSlackIntegration({
        receiver: "r",
        config: { token: SECRETS[0], channel: "#c", sendResolved: true },
        slackApiUrl: `${url}/api/`,
        settings,
        timeoutMs: 2_000,
      }),
    ok: json({ ok: true, ts: "1.1", channel: "C1" }),
    message: notification,
  },
  {
    name: "slack incoming webhook",
    secrets: [SECRETS[0]],
    build: (url) =>
      createSlackIntegration({
        receiver: "r",
        config: { webhookUrl: `${url}/services/${SECRETS[0]}`, sendResolved: true },
        slackApiUrl: `${url}/api/`,
        settings,
        timeoutMs: 2_000,
      }),
    ok: { status: 200, body: "ok" },
    message: notification,
  },
  {
    name: "webhook receiver",
    secrets: [SECRETS[1]],
    build: (url) =>
      createWebhookIntegration(
        "r",
        {
          url,
          secret: SECRETS[1],
          headers: { Authorization: `Bearer ${SECRETS[1]}` },
          sendResolved: true,
        },
        settings,
        options,
      ),
    ok: { status: 200 },
    message: notification,
  },
  {
    name: "retrain github",
    secrets: [SECRETS[2]],
    build: (url) =>
      createRetrainIntegration(
        { name: "a", github: { url, repository: "o/r", token: SECRETS[2], eventType: "e" } },
        options,
      ),
    ok: { status: 204 },
    message: retrain,
  },
  {
    name: "retrain airflow",
    secrets: [SECRETS[3], Buffer.from(`u:${SECRETS[3]}`).toString("base64")],
    build: (url) =>
      createRetrainIntegration(
        { name: "a", airflow: { url, dagId: "d", username: "u", password: SECRETS[3] } },
        options,
      ),
    ok: { status: 200 },
    message: retrain,
  },
  {
    name: "retrain jenkins",
    secrets: [SECRETS[4], Buffer.from(`u:${SECRETS[4]}`).toString("base64")],
    build: (url) =>
      createRetrainIntegration(
        {
          name: "a",
          jenkins: {
            url,
            job: "j",
            username: "u",
            token: SECRETS[4],
            crumb: false,
            parameters: {},
          },
        },
        options,
      ),
    ok: { status: 201 },
    message: retrain,
  },
  {
    name: "retrain kubeflow",
    secrets: [SECRETS[5]],
    build: (url) =>
      createRetrainIntegration(
        { name: "a", kubeflow: { url, pipelineId: "p", token: SECRETS[5], parameters: {} } },
        options,
      ),
    ok: { status: 200 },
    message: retrain,
  },
  {
    name: "retrain generic",
    secrets: [SECRETS[1], SECRETS[5]],
    build: (url) =>
      createRetrainIntegration(
        { name: "a", secret: SECRETS[1], generic: { url, headers: { "X-Api-Key": SECRETS[5] } } },
        options,
      ),
    ok: { status: 200 },
    message: retrain,
  },
];

let receiver: HttpReceiver;
beforeEach(async () => {
  receiver = new HttpReceiver();
  await receiver.start();
});
afterEach(async () => {
  await receiver.stop();
});

async function send(testCase: Case, url = receiver.url): Promise<DeliveryResult> {
  const integration = testCase.build(url) as Integration<unknown>;
  try {
    return await integration.send(testCase.message(), {
      signal: new AbortController().signal,
      attempt: 1,
      now: Date.now(),
    });
  } finally {
    await integration.close();
  }
}

/** A body that echoes the integration's own secrets back (as some servers do in errors). */
const echo = (testCase: Case) => `refused: ${testCase.secrets.join(" ")}`;

describe.each(CASES)("integration contract: $name", (testCase) => {
  it("delivers on success", async () => {
    receiver.script.push(testCase.ok);
    expect(await send(testCase)).toMatchObject({ ok: true });
  });

  it("5xx is a retryable server_error", async () => {
    receiver.script.push({ status: 503, body: echo(testCase) });
    const result = await send(testCase);
    expect(result).toMatchObject({
      ok: false,
      retryable: true,
      reason: "server_error",
      responseCode: 503,
    });
    expect(JSON.stringify(result)).toContain("refused");
    for (const secret of testCase.secrets) expect(JSON.stringify(result)).not.toContain(secret);
  });

  it("429 is rate_limited with its Retry-After", async () => {
    receiver.script.push({ status: 429, headers: { "Retry-After": "2" }, body: "slow down" });
    expect(await send(testCase)).toMatchObject({
      ok: false,
      retryable: true,
      reason: "rate_limited",
      retryAfterMs: 2_000,
    });
  });

  it("401 is auth and not retried, with no secret in the error", async () => {
    receiver.script.push({ status: 401, body: echo(testCase) });
    const result = await send(testCase);
    expect(result).toMatchObject({ ok: false, retryable: false, reason: "auth" });
    const text = JSON.stringify(result);
    for (const secret of testCase.secrets) expect(text).not.toContain(secret);
  });

  it("a refused connection is retryable", async () => {
    const url = receiver.url;
    await receiver.stop();
    const result = await send(testCase, url);
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(["network", "timeout"]).toContain(result.ok ? "" : result.reason);
    for (const secret of testCase.secrets) expect(JSON.stringify(result)).not.toContain(secret);
  });
});
