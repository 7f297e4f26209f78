// SMTP requireTLS: true by default (STARTTLS or no mail), false by default only for a loopback
// host (localhost, 127.0.0.0/8, ::1); an explicit setting always wins. Checked on the transport
// options the email integration hands nodemailer.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { isLoopbackHost, resolveRequireTLS } from "../../../src/config/schema/alerts/receivers.js";
import { smtpTransportOptions } from "../../../alerts/notifiers/email.js";
import { parseConfig } from "../../../src/config/index.js";

function smtpConfig(smtp: Record<string, unknown>) {
  const config = parseConfig(stringify({ alerts: { smtp } }), { env: {} });
  return config.alerts.smtp!;
}

describe("requireTLS default", () => {
  it("is true for a remote host", () => {
    for (const host of [
      "smtp.example.com",
      "10.0.0.5",
      "192.168.1.20",
      "2001:db8::25",
      "128.0.0.1",
    ]) {
      const smtp = smtpConfig({ host });
      expect(smtp.requireTLS, host).toBeUndefined();
      expect(smtpTransportOptions(smtp).requireTLS, host).toBe(true);
    }
  });

  it("is false for a loopback host", () => {
    for (const host of [
      "127.0.0.1",
      "127.1.2.3",
      "localhost",
      "LocalHost.",
      "mail.localhost",
      "::1",
      "[::1]",
      "0:0:0:0:0:0:0:1",
      "::ffff:127.0.0.1",
    ]) {
      const smtp = smtpConfig({ host });
      expect(smtpTransportOptions(smtp).requireTLS, host).toBe(false);
    }
  });

  it("an explicit setting wins either way", () => {
    expect(
      smtpTransportOptions(smtpConfig({ host: "smtp.example.com", requireTLS: false })).requireTLS,
    ).toBe(false);
    expect(
      smtpTransportOptions(smtpConfig({ host: "127.0.0.1", requireTLS: true })).requireTLS,
    ).toBe(true);
    expect(resolveRequireTLS({ host: "localhost", requireTLS: true })).toBe(true);
  });

  it("the rest of the transport options are as configured", () => {
    const options = smtpTransportOptions(
      smtpConfig({
        host: "smtp.example.com",
        port: 465,
        secure: true,
        username: "dw",
        password: "p",
        timeout: "3s",
      }),
    );
    expect(options).toMatchObject({
      host: "smtp.example.com",
      port: 465,
      secure: true,
      requireTLS: true,
      auth: { user: "dw", pass: "p" },
      tls: { rejectUnauthorized: true },
      connectionTimeout: 3000,
      greetingTimeout: 3000,
      socketTimeout: 3000,
    });
  });
});

describe("isLoopbackHost", () => {
  it("does not resolve names: only localhost names and loopback addresses count", () => {
    expect(isLoopbackHost("localhost.example.com")).toBe(false);
    expect(isLoopbackHost("127.0.0.1.nip.io")).toBe(false);
    expect(isLoopbackHost("::2")).toBe(false);
    expect(isLoopbackHost("0.0.0.0")).toBe(false);
    expect(isLoopbackHost("")).toBe(false);
  });
});
