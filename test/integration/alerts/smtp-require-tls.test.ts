// requireTLS against real SMTP servers that offer no STARTTLS: on loopback the default lets mail
// through (local relays, tests, the demo); on this machine's non-loopback address the default
// refuses to send in clear text; an explicit setting wins either way.
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { SMTPServer } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { createEmailIntegration } from "../../../alerts/notifiers/email.js";
import { deliver } from "../../../alerts/pipeline/deliver.js";
import { sampleNotification } from "../../../alerts/sample-notification.js";
import { alertsConfig } from "../../support/config.js";
import { SmtpPeer } from "../../support/peers.js";
import { memoryDelivery } from "./support.js";

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

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Send one sample notification through an email receiver built from `smtp` by the real loader. */
async function send(smtp: Record<string, unknown>) {
  const config = alertsConfig({
    smtp: { timeout: "5s", ...smtp },
    receivers: [
      { name: "oncall", email: { to: ["ml-oncall@example.com"], from: "dw@example.com" } },
    ],
  });
  const integration = createEmailIntegration({
    receiver: "oncall",
    config: config.receivers[0]!.email!,
    ...(config.smtp !== undefined ? { defaultSmtp: config.smtp } : {}),
    settings: { grafanaDashboardUid: "driftwatch-model" },
  });
  const { context } = memoryDelivery({ maxAttempts: 2 });
  try {
    return await deliver(integration, sampleNotification("oncall", Date.now()), meta, context);
  } finally {
    await integration.close();
  }
}

async function loopbackPeer(): Promise<{ peer: SmtpPeer; port: number }> {
  const peer = new SmtpPeer();
  const port = await peer.start();
  cleanups.push(() => peer.stop());
  return { peer, port };
}

/** This machine's first non-loopback IPv4 address, if it has one. */
const remoteAddress = Object.values(networkInterfaces())
  .flat()
  .find((info) => info !== undefined && !info.internal && info.family === "IPv4")?.address;

describe("requireTLS on a real SMTP server without STARTTLS", () => {
  it("127.0.0.1 with requireTLS unset: delivered in clear text (loopback default false)", async () => {
    const { peer, port } = await loopbackPeer();
    const outcome = await send({ host: "127.0.0.1", port });
    expect(outcome.result).toMatchObject({ ok: true, responseCode: 250 });
    expect(peer.mails).toHaveLength(1);
  });

  it("127.0.0.1 with requireTLS: true: refused, not retried, nothing sent", async () => {
    const { peer, port } = await loopbackPeer();
    const outcome = await send({ host: "127.0.0.1", port, requireTLS: true });
    expect(outcome).toMatchObject({ attempts: 1, result: { ok: false, retryable: false } });
    expect(outcome.result).toMatchObject({ error: expect.stringMatching(/STARTTLS/) });
    expect(peer.mails).toHaveLength(0);
  });

  it.skipIf(remoteAddress === undefined)(
    `a non-loopback address (${remoteAddress ?? "none here"}): requireTLS defaults to true`,
    async () => {
      const received: string[] = [];
      const server = new SMTPServer({
        secure: false,
        disabledCommands: ["AUTH", "STARTTLS"],
        authOptional: true,
        logger: false,
        onData(stream, _session, callback) {
          stream.on("data", (chunk: Buffer) => received.push(chunk.toString("utf8")));
          stream.on("end", () => callback());
        },
      });
      await new Promise<void>((resolve) => server.listen(0, remoteAddress, resolve));
      cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const port = (server.server.address() as AddressInfo).port;

      const refused = await send({ host: remoteAddress, port });
      expect(refused).toMatchObject({ attempts: 1, result: { ok: false, retryable: false } });
      expect(refused.result).toMatchObject({ error: expect.stringMatching(/STARTTLS/) });
      expect(received).toEqual([]);

      // An explicit requireTLS: false still sends (config load warns about it).
      const allowed = await send({ host: remoteAddress, port, requireTLS: false });
      expect(allowed.result).toMatchObject({ ok: true, responseCode: 250 });
      expect(received.join("")).toContain("Subject:");
    },
  );
});
