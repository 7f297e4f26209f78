// The demo's local sinks against real clients on loopback: the retrain receiver accepts only
// correctly signed requests (once per Idempotency-Key), the Slack stand-in (the shared peer, with
// the demo's one token) answers @slack/web-api like Slack, the SMTP peer receives nodemailer's
// mail, and the demo config template validates.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebClient } from "@slack/web-api";
import { createTransport } from "nodemailer";
import { afterEach, describe, expect, it } from "vitest";
import { computeSignature } from "../../../alerts/index.js";
import { newSecrets, writeDemoConfig } from "../../../src/demo/demo-config.js";
import { RetrainReceiver } from "../../../src/demo/retrain-receiver.js";
import { SlackApiServer, SmtpPeer } from "../../support/peers.js";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
  return response.status;
}

describe("demo sinks", () => {
  it("retrain receiver verifies the HMAC signature and deduplicates on Idempotency-Key", async () => {
    const receiver = new RetrainReceiver("s3cret-demo-secret");
    await receiver.start();
    stops.push(() => receiver.stop());
    const body = JSON.stringify({ request_id: "r1", model: "credit-risk", model_version: "1" });
    const now = Math.floor(Date.now() / 1000);
    const signed = {
      "X-Driftwatch-Timestamp": String(now),
      "X-Driftwatch-Signature": computeSignature("s3cret-demo-secret", now, body),
      "Idempotency-Key": "key-1",
    };
    expect(await post(receiver.url, body.replace("r1", "r2"), signed)).toBe(401);
    expect(
      await post(receiver.url, body, {
        ...signed,
        "X-Driftwatch-Signature": computeSignature("another-secret", now, body),
      }),
    ).toBe(401);
    expect(receiver.refused).toEqual(["mismatch", "mismatch"]);
    expect(receiver.calls).toHaveLength(0);
    expect(await post(receiver.url, body, signed)).toBe(202);
    expect(await post(receiver.url, body, signed)).toBe(200);
    expect(receiver.calls.map((call) => [call.requestId, call.model])).toEqual([
      ["r1", "credit-risk"],
    ]);
  });

  it("Slack stand-in answers chat.postMessage like Slack and refuses a wrong token", async () => {
    const slack = new SlackApiServer({ token: "xoxb-right" });
    await slack.start();
    stops.push(() => slack.stop());
    const client = new WebClient("xoxb-right", {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    const answer = await client.chat.postMessage({ channel: "#alerts", text: "[FIRING:1] x" });
    expect(answer.ok).toBe(true);
    expect(slack.messages.map((m) => [m.channel, m.text])).toEqual([["#alerts", "[FIRING:1] x"]]);
    const wrong = new WebClient("xoxb-wrong", {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    await expect(wrong.chat.postMessage({ channel: "#alerts", text: "y" })).rejects.toThrow(
      /invalid_auth/,
    );
    expect(slack.messages).toHaveLength(1);
  });

  it("SMTP sink receives a mail with its subject and recipients", async () => {
    const smtp = new SmtpPeer();
    await smtp.start();
    stops.push(() => smtp.stop());
    const transport = createTransport({ host: "127.0.0.1", port: smtp.port, secure: false });
    await transport.sendMail({
      from: "dw@demo.local",
      to: "oncall@demo.local",
      subject: "[driftwatch] FIRING: dataset-drift — credit-risk",
      text: "hello",
    });
    transport.close();
    expect(smtp.mails.map((m) => [m.to, m.subject])).toEqual([
      [["oncall@demo.local"], "[driftwatch] FIRING: dataset-drift — credit-risk"],
    ]);
  });

  it("the demo config template validates with the run's ports and secrets", () => {
    const dir = mkdtempSync(join(tmpdir(), "dw-demo-config-"));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const demo = writeDemoConfig({
      dir,
      serverPort: 18081,
      smtpPort: 12525,
      slackApiUrl: "http://127.0.0.1:1/api/",
      retrainUrl: "http://127.0.0.1:2/retrain",
      secrets: newSecrets(),
      baseEnv: {},
    });
    expect(demo.config.server.port).toBe(18081);
    expect(demo.config.alerts.smtp?.port).toBe(12525);
    expect(demo.config.models.map((m) => [m.name, m.interval])).toEqual([["credit-risk", "1d"]]);
    expect(demo.config.kafka.topics.predictions).toBe("driftwatch-demo.predictions");
  });
});
