// Email notifications to a real SMTP server (npm smtp-server) on loopback: subject with severity
// and model, plain-text and HTML bodies, recipients, SMTP auth; a refused login is not retried.
import { afterEach, describe, expect, it } from "vitest";
import { createEmailIntegration } from "../../../alerts/notifiers/email.js";
import { sampleNotification } from "../../../alerts/sample-notification.js";
import { deliver } from "../../../alerts/pipeline/deliver.js";
import { SmtpPeer } from "../../support/peers.js";
import { captureLog, memoryDelivery } from "./support.js";

const meta = {
  notificationId: "n",
  groupKey: "g",
  rule: "r",
  model: "m",
  receiver: "oncall",
  kind: "firing" as const,
  firing: [],
  resolved: [],
  detail: "",
};

let peer: SmtpPeer | undefined;
afterEach(async () => {
  await peer?.stop();
  peer = undefined;
});

function email(port: number, auth?: { username: string; password: string }) {
  return createEmailIntegration({
    receiver: "oncall",
    config: {
      to: ["ml-oncall@example.com", "data-team@example.com"],
      from: "driftwatch <driftwatch@example.com>",
      sendResolved: true,
      smtp: {
        host: "127.0.0.1",
        port,
        secure: false,
        requireTLS: false,
        ...(auth !== undefined ? { username: auth.username, password: auth.password } : {}),
        tls: { rejectUnauthorized: true },
        timeout: "5s",
      },
    },
    settings: { grafanaUrl: "http://grafana.local:3000", grafanaDashboardUid: "driftwatch-model" },
  });
}

describe("email integration (real SMTP server)", () => {
  it("delivers subject, plain-text and HTML bodies to every recipient", async () => {
    peer = new SmtpPeer({ username: "dw", password: "smtp-pass-123" });
    const port = await peer.start();
    const notification = sampleNotification("oncall", Date.UTC(2026, 10, 23, 8, 0, 0));
    const integration = email(port, { username: "dw", password: "smtp-pass-123" });
    const { context } = memoryDelivery();
    const outcome = await deliver(integration, notification, meta, context);
    await integration.close();
    expect(outcome.result).toMatchObject({ ok: true, responseCode: 250 });
    expect(peer.logins).toEqual([{ username: "dw", password: "smtp-pass-123" }]);
    expect(peer.mails).toHaveLength(1);
    const mail = peer.mails[0]!;
    expect(mail.from).toBe("driftwatch@example.com");
    expect(mail.to).toEqual(["ml-oncall@example.com", "data-team@example.com"]);
    expect(mail.subject).toBe(
      "[driftwatch] [WARNING] FIRING: driftwatch-test on driftwatch-test (2 alerts)",
    );
    expect(mail.headers["message-id"]).toBe(`<${notification.id}@driftwatch>`);
    expect(mail.text).toContain("Model:    driftwatch-test");
    expect(mail.text).toContain("Window:   2026-11-23 07:00:00 UTC → 2026-11-23 08:00:00 UTC");
    expect(mail.text).toContain("income: psi = 0.31 (threshold 0.2)");
    // Two drifting features: the link opens the model's worst-features panel over the window.
    expect(mail.text).toContain(
      "Dashboard: http://grafana.local:3000/d/driftwatch-model?orgId=1&var-model=driftwatch-test" +
        "&from=1795413600000&to=1795420800000&viewPanel=2",
    );
    expect(mail.html).toContain("<td>income</td><td>psi</td><td>0.31</td><td>0.2</td>");
    expect(mail.html).toContain(
      '<a href="http://grafana.local:3000/d/driftwatch-model?orgId=1&amp;var-model=driftwatch-test',
    );
  });

  it("does not retry a refused login and keeps the password out of the log", async () => {
    peer = new SmtpPeer({ username: "dw", password: "right-password" });
    const port = await peer.start();
    const log = captureLog();
    const integration = email(port, { username: "dw", password: "wrong-password-xyz" });
    const { context, rows, recorder } = memoryDelivery({}, { logger: log.logger });
    const outcome = await deliver(
      integration,
      sampleNotification("oncall", Date.now()),
      meta,
      context,
    );
    await integration.close();
    expect(outcome.result).toMatchObject({
      ok: false,
      retryable: false,
      reason: "auth",
      responseCode: 535,
    });
    expect(peer.logins).toHaveLength(1);
    expect(peer.mails).toHaveLength(0);
    await recorder.flush();
    expect(rows).toHaveLength(1);
    expect(log.text()).not.toContain("wrong-password-xyz");
  });

  it("retries while the server is unreachable", async () => {
    peer = new SmtpPeer();
    const port = await peer.start();
    await peer.stop();
    const integration = email(port);
    const { context } = memoryDelivery({ maxAttempts: 2 });
    const outcome = await deliver(
      integration,
      sampleNotification("oncall", Date.now()),
      meta,
      context,
    );
    await integration.close();
    expect(outcome).toMatchObject({
      attempts: 2,
      result: { ok: false, retryable: true, reason: "network" },
    });
  });
});
