// Signed webhooks against real HTTP receivers: the receiver verifies the HMAC and refuses a
// tampered body or a stale timestamp; retrain presets send what GitHub, Airflow, Jenkins and
// Kubeflow Pipelines expect.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RetrainRequest } from "../../../alerts/model/retrain-request.js";
import {
  createRetrainIntegration,
  createWebhookIntegration,
} from "../../../alerts/notifiers/webhook.js";
import { verifySignature } from "../../../alerts/notifiers/signature.js";
import { sampleNotification } from "../../../alerts/sample-notification.js";
import { deliver } from "../../../alerts/pipeline/deliver.js";
import type { RetrainActionConfig } from "../../../src/config/schema/alerts/retrain.js";
import { HttpReceiver, type RecordedRequest, type ScriptedResponse } from "../../support/peers.js";
import { memoryDelivery } from "./support.js";

const SECRET = "whsec-0123456789abcdef";

let receiver: HttpReceiver;
beforeEach(async () => {
  receiver = new HttpReceiver();
  await receiver.start();
});
afterEach(async () => {
  await receiver.stop();
});

const meta = {
  notificationId: "n",
  groupKey: "g",
  rule: "r",
  model: "credit-risk",
  receiver: "x",
  kind: "retrain" as const,
  firing: [],
  resolved: [],
  detail: "",
};

function retrainRequest(id = "4f2a9c0d1e2b3a4c5d6e7f8091a2b3c4"): RetrainRequest {
  return {
    id,
    model: "credit-risk",
    modelVersion: "7",
    source: "alert",
    reason: "feature-drift fired: psi of income is 0.31",
    requestedAt: Date.UTC(2026, 10, 23, 8, 0, 0),
    alerts: [
      {
        rule: "feature-drift",
        fingerprint: "abcd",
        labels: { model: "credit-risk", feature: "income" },
        value: 0.31,
        threshold: 0.2,
        activeAt: Date.UTC(2026, 10, 23, 7, 55, 0),
      },
    ],
    actions: ["retrain"],
  };
}

function verifying(request: RecordedRequest, nowMs = Date.now()) {
  return verifySignature({
    secret: SECRET,
    body: request.body,
    signature: request.headers["x-driftwatch-signature"] as string | undefined,
    timestamp: request.headers["x-driftwatch-timestamp"] as string | undefined,
    nowMs,
  });
}

describe("signed webhooks", () => {
  it("the receiver verifies the signature; a tampered body or a stale timestamp is refused", async () => {
    const replayWindowSeconds = 300;
    receiver.responder = (request) => {
      const verdict = verifySignature({
        secret: SECRET,
        body: request.body,
        signature: request.headers["x-driftwatch-signature"] as string | undefined,
        timestamp: request.headers["x-driftwatch-timestamp"] as string | undefined,
        toleranceSeconds: replayWindowSeconds,
        // The receiver's clock: shifted by the test through a header only it sends.
        nowMs: Date.now() + Number(request.headers["x-test-clock-offset-ms"] ?? 0),
      });
      return verdict.ok ? { status: 200, body: "ok" } : { status: 401, body: verdict.reason };
    };
    const webhook = createWebhookIntegration(
      "hooks",
      { url: `${receiver.url}/driftwatch`, secret: SECRET, headers: {}, sendResolved: true },
      { grafanaDashboardUid: "driftwatch-model" },
      { timeoutMs: 5_000 },
    );
    const notification = sampleNotification("hooks", Date.now());
    const { context } = memoryDelivery();
    const outcome = await deliver(webhook, notification, { ...meta, kind: "firing" }, context);
    expect(outcome.result).toMatchObject({ ok: true, responseCode: 200 });
    const sent = receiver.requests[0]!;
    expect(sent.headers["idempotency-key"]).toBe(notification.id);
    expect(sent.headers["x-driftwatch-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    const payload = JSON.parse(sent.body) as Record<string, unknown>;
    expect(payload).toMatchObject({
      version: "1",
      kind: "alert",
      status: "firing",
      notification_id: notification.id,
    });
    expect((payload.alerts as unknown[]).length).toBe(2);

    const resend = async (body: string, offsetMs = 0) => {
      const headers: Record<string, string> = {
        "Content-Type": "application/json",
        "X-Driftwatch-Signature": String(sent.headers["x-driftwatch-signature"]),
        "X-Driftwatch-Timestamp": String(sent.headers["x-driftwatch-timestamp"]),
        "X-Test-Clock-Offset-Ms": String(offsetMs),
      };
      const response = await fetch(`${receiver.url}/driftwatch`, { method: "POST", headers, body });
      return [response.status, await response.text()];
    };
    expect(await resend(sent.body)).toEqual([200, "ok"]);
    expect(await resend(sent.body.replace('"firing"', '"resolved"'))).toEqual([401, "mismatch"]);
    expect(await resend(sent.body, (replayWindowSeconds + 60) * 1000)).toEqual([401, "stale"]);
  });

  it("verifySignature refuses missing and malformed signatures", () => {
    const base = { secret: SECRET, body: "{}", nowMs: 1_000_000 };
    expect(verifySignature({ ...base, signature: undefined, timestamp: "1000" })).toEqual({
      ok: false,
      reason: "missing",
    });
    expect(verifySignature({ ...base, signature: "sha1=abc", timestamp: "1000" })).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(
      verifySignature({ ...base, signature: `sha256=${"0".repeat(64)}`, timestamp: "1000" }),
    ).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });
});

async function sendRetrain(action: RetrainActionConfig, request = retrainRequest()) {
  const integration = createRetrainIntegration(action, { timeoutMs: 5_000 });
  const { context } = memoryDelivery({ maxAttempts: 1 });
  return deliver(integration, request, meta, context);
}

describe("retrain presets", () => {
  it("GitHub: repository_dispatch with event_type, client_payload and a bearer token", async () => {
    receiver.script.push({ status: 204 });
    const outcome = await sendRetrain({
      name: "gh",
      secret: SECRET,
      github: {
        url: receiver.url,
        repository: "acme/models",
        token: "ghp_secret_token_1",
        eventType: "retrain-model",
      },
    });
    expect(outcome.result).toMatchObject({ ok: true, responseCode: 204 });
    const request = receiver.requests[0]!;
    expect([request.method, request.path]).toEqual(["POST", "/repos/acme/models/dispatches"]);
    expect(request.headers.authorization).toBe("Bearer ghp_secret_token_1");
    expect(request.headers.accept).toBe("application/vnd.github+json");
    expect(request.headers["x-github-api-version"]).toBe("2022-11-28");
    const body = JSON.parse(request.body) as {
      event_type: string;
      client_payload: Record<string, unknown>;
    };
    expect(body.event_type).toBe("retrain-model");
    expect(Object.keys(body.client_payload).length).toBeLessThanOrEqual(10);
    expect(body.client_payload).toMatchObject({
      kind: "retrain",
      model: "credit-risk",
      model_version: "7",
      request_id: retrainRequest().id,
    });
    expect(verifying(request)).toEqual({ ok: true });
  });

  it("Airflow: dagRuns with dag_run_id and conf, basic auth; a repeated dag_run_id (409) counts as delivered", async () => {
    const seen = new Set<string>();
    receiver.responder = (request) => {
      const runId = (JSON.parse(request.body) as { dag_run_id: string }).dag_run_id;
      if (seen.has(runId))
        return { status: 409, body: JSON.stringify({ title: "DAGRun already exists" }) };
      seen.add(runId);
      return {
        status: 200,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ dag_run_id: runId, state: "queued" }),
      };
    };
    const action: RetrainActionConfig = {
      name: "airflow",
      airflow: {
        url: `${receiver.url}/`,
        dagId: "retrain_credit",
        username: "airflow",
        password: "af-pass",
      },
    };
    const first = await sendRetrain(action);
    const again = await sendRetrain(action);
    expect(first.result).toMatchObject({ ok: true, responseCode: 200 });
    expect(again.result).toMatchObject({ ok: true, responseCode: 409 });
    const request = receiver.requests[0]!;
    expect([request.method, request.path]).toEqual(["POST", "/api/v1/dags/retrain_credit/dagRuns"]);
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from("airflow:af-pass").toString("base64")}`,
    );
    const body = JSON.parse(request.body) as { dag_run_id: string; conf: Record<string, unknown> };
    expect(body.dag_run_id).toBe(`driftwatch__${retrainRequest().id}`);
    expect(body.conf).toMatchObject({ model: "credit-risk", reason: retrainRequest().reason });
  });

  it("Jenkins: crumb first, then buildWithParameters as a form with user:token basic auth", async () => {
    receiver.responder = (request): ScriptedResponse =>
      request.path === "/crumbIssuer/api/json"
        ? {
            status: 200,
            headers: {
              "Content-Type": "application/json",
              "Set-Cookie": "JSESSIONID.abc=node0123; Path=/; HttpOnly",
            },
            body: JSON.stringify({
              _class: "hudson.security.csrf.DefaultCrumbIssuer",
              crumb: "c0ffee",
              crumbRequestField: "Jenkins-Crumb",
            }),
          }
        : { status: 201, headers: { Location: `${receiver.url}/queue/item/42/` } };
    const outcome = await sendRetrain({
      name: "jenkins",
      jenkins: {
        url: receiver.url,
        job: "ml/retrain-model",
        username: "bot",
        token: "11aa22bb33cc",
        crumb: true,
        parameters: { ENV: "prod" },
      },
    });
    expect(outcome.result).toMatchObject({ ok: true, responseCode: 201 });
    const [crumb, build] = receiver.requests;
    const auth = `Basic ${Buffer.from("bot:11aa22bb33cc").toString("base64")}`;
    expect([crumb!.method, crumb!.path, crumb!.headers.authorization]).toEqual([
      "GET",
      "/crumbIssuer/api/json",
      auth,
    ]);
    expect([build!.method, build!.path]).toEqual([
      "POST",
      "/job/ml/job/retrain-model/buildWithParameters",
    ]);
    expect(build!.headers.authorization).toBe(auth);
    expect(build!.headers["jenkins-crumb"]).toBe("c0ffee");
    expect(build!.headers.cookie).toBe("JSESSIONID.abc=node0123");
    expect(build!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const form = Object.fromEntries(new URLSearchParams(build!.body));
    expect(form).toMatchObject({
      ENV: "prod",
      MODEL: "credit-risk",
      MODEL_VERSION: "7",
      DRIFTWATCH_REQUEST_ID: retrainRequest().id,
      REASON: retrainRequest().reason,
    });
    expect(JSON.parse(form.DRIFTWATCH_PAYLOAD!)).toMatchObject({
      kind: "retrain",
      model: "credit-risk",
    });
  });

  it("Kubeflow Pipelines: a v2beta1 run of the pipeline version with runtime parameters", async () => {
    receiver.script.push({
      status: 200,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ run_id: "r-1" }),
    });
    const outcome = await sendRetrain({
      name: "kfp",
      kubeflow: {
        url: receiver.url,
        pipelineId: "p-123",
        pipelineVersionId: "v-456",
        experimentId: "e-789",
        token: "kfp-token-1",
        parameters: { epochs: "5" },
      },
    });
    expect(outcome.result.ok).toBe(true);
    const request = receiver.requests[0]!;
    expect([request.method, request.path, request.headers.authorization]).toEqual([
      "POST",
      "/apis/v2beta1/runs",
      "Bearer kfp-token-1",
    ]);
    expect(JSON.parse(request.body)).toEqual({
      display_name: "driftwatch-retrain-credit-risk-4f2a9c0d",
      description: retrainRequest().reason,
      pipeline_version_reference: { pipeline_id: "p-123", pipeline_version_id: "v-456" },
      runtime_config: {
        parameters: {
          epochs: "5",
          model: "credit-risk",
          model_version: "7",
          reason: retrainRequest().reason,
          request_id: retrainRequest().id,
        },
      },
      experiment_id: "e-789",
    });
  });

  it("generic: the signed retrain payload with an Idempotency-Key; 4xx is not retried, secrets stay out of errors", async () => {
    receiver.script.push({
      status: 403,
      body: `forbidden for token Bearer ${"t".repeat(12)} and ${SECRET}`,
    });
    const outcome = await sendRetrain({
      name: "generic",
      secret: SECRET,
      generic: {
        url: `${receiver.url}/retrain`,
        headers: { Authorization: `Bearer ${"t".repeat(12)}` },
      },
    });
    expect(outcome.result).toMatchObject({
      ok: false,
      retryable: false,
      reason: "auth",
      responseCode: 403,
    });
    const error = outcome.result.ok ? "" : outcome.result.error;
    expect(error).not.toContain(SECRET);
    expect(error).not.toContain("t".repeat(12));
    const request = receiver.requests[0]!;
    expect(request.headers["idempotency-key"]).toBe(retrainRequest().id);
    expect(verifying(request)).toEqual({ ok: true });
    expect(JSON.parse(request.body)).toMatchObject({
      version: "1",
      kind: "retrain",
      request_id: retrainRequest().id,
    });
  });
});
