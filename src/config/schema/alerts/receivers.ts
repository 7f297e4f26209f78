// Config schema of receivers: named destinations, each fanning out to its integrations (Slack,
// email, signed webhook), and of the SMTP server email uses (STARTTLS required unless loopback).
import { BlockList, isIP } from "node:net";
import { Type, type Static } from "@sinclair/typebox";
import { Secret, Duration } from "../kit.js";
import { NAME_PATTERN } from "./rules.js";

const HttpUrl = (description?: string) =>
  Type.String({
    pattern: "^https?://[^\\s/]+(/\\S*)?$",
    patternHint: "must be an http:// or https:// URL",
    ...(description !== undefined ? { description } : {}),
  });

export const SmtpSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65_535, default: 587 }),
    secure: Type.Boolean({
      default: false,
      description: "TLS from the first byte (port 465); otherwise STARTTLS when offered",
    }),
    requireTLS: Type.Optional(
      Type.Boolean({
        description:
          "refuse to send without STARTTLS; default true, false for a loopback host (localhost, 127.0.0.0/8, ::1)",
      }),
    ),
    username: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(Secret()),
    tls: Type.Object(
      {
        rejectUnauthorized: Type.Boolean({ default: true }),
        ca: Type.Optional(Type.String({ minLength: 1, description: "CA certificate file (PEM)" })),
        servername: Type.Optional(Type.String({ minLength: 1 })),
      },
      { additionalProperties: false, default: {} },
    ),
    timeout: Duration("10s", "connection and command timeout"),
  },
  { additionalProperties: false },
);

export const SlackSchema = Type.Object(
  {
    token: Type.Optional(Secret({ description: "bot token (xoxb-…) for chat.postMessage" })),
    channel: Type.Optional(Type.String({ minLength: 1, description: "#channel or channel id" })),
    webhookUrl: Type.Optional(
      Secret({
        pattern: "^https?://\\S+$",
        patternHint: "must be an http(s) URL",
        description: "incoming-webhook URL (instead of token + channel)",
      }),
    ),
    username: Type.Optional(Type.String({ minLength: 1 })),
    iconEmoji: Type.Optional(Type.String({ minLength: 1 })),
    mentionOnCritical: Type.Optional(
      Type.String({ minLength: 1, description: 'e.g. "<!here>" prepended to critical alerts' }),
    ),
    sendResolved: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);

export const EmailSchema = Type.Object(
  {
    to: Type.Array(
      Type.String({ pattern: "^[^\\s@]+@[^\\s@]+$", patternHint: "must be an email address" }),
      {
        minItems: 1,
      },
    ),
    from: Type.String({ minLength: 3, description: 'sender, e.g. "driftwatch <dw@example.com>"' }),
    smtp: Type.Optional(SmtpSchema),
    sendResolved: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);

export const WebhookReceiverSchema = Type.Object(
  {
    url: HttpUrl(),
    secret: Type.Optional(Secret({ description: "HMAC-SHA256 signing secret" })),
    headers: Type.Record(Type.String({ minLength: 1 }), Secret(), { default: {} }),
    sendResolved: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);

export const ReceiverSchema = Type.Object(
  {
    name: Type.String({
      pattern: NAME_PATTERN,
      patternHint: "must be 1-128 letters, digits, _ . : -",
    }),
    slack: Type.Optional(SlackSchema),
    email: Type.Optional(EmailSchema),
    webhook: Type.Optional(WebhookReceiverSchema),
  },
  { additionalProperties: false },
);

export { HttpUrl };

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/**
 * Whether `host` is this machine: localhost (and *.localhost), 127.0.0.0/8 or ::1 (IPv6 with or
 * without brackets, IPv4-mapped included). Other names are not resolved: they count as remote.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  const version = isIP(name);
  return version !== 0 && LOOPBACK.check(name, version === 6 ? "ipv6" : "ipv4");
}

/** `requireTLS` as it applies: the explicit setting, else true except for a loopback host. */
export function resolveRequireTLS(smtp: Pick<SmtpConfig, "host" | "requireTLS">): boolean {
  return smtp.requireTLS ?? !isLoopbackHost(smtp.host);
}
export type SmtpConfig = Static<typeof SmtpSchema>;
export type SlackConfig = Static<typeof SlackSchema>;
export type EmailConfig = Static<typeof EmailSchema>;
export type WebhookReceiverConfig = Static<typeof WebhookReceiverSchema>;
export type ReceiverConfig = Static<typeof ReceiverSchema>;
