// Email integration: nodemailer over SMTP (implicit TLS or STARTTLS — required by default except
// on loopback —, CA and verification options, auth), HTML and plain-text bodies, a Message-ID
// derived from the notification id. SMTP replies are mapped to retryable (4xx, connection
// trouble) or not (5xx, auth).
import { readFileSync } from "node:fs";
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import {
  parseDuration,
  resolveRequireTLS,
  type EmailConfig,
  type SmtpConfig,
} from "../../src/config/index.js";
import type { Notification, RenderSettings } from "../model/notification.js";
import { renderEmail } from "../templates/email.js";
import { createRedactor, describeError, type Redactor } from "./redact.js";
import { failure, type DeliveryResult, type Integration, type SendContext } from "./types.js";

export interface EmailIntegrationOptions {
  readonly receiver: string;
  readonly config: EmailConfig;
  /** alerts.smtp, used when the receiver names no SMTP server of its own. */
  readonly defaultSmtp?: SmtpConfig;
  readonly settings: RenderSettings;
}

export function createEmailIntegration(
  options: EmailIntegrationOptions,
): Integration<Notification> {
  const smtp = options.config.smtp ?? options.defaultSmtp;
  if (smtp === undefined)
    throw new Error(`receiver ${options.receiver}: email needs an smtp server`);
  const redact = createRedactor([smtp.password]);
  const transport = nodemailer.createTransport(smtpTransportOptions(smtp));
  return {
    kind: "email",
    owner: options.receiver,
    sendResolved: options.config.sendResolved,
    async send(notification: Notification, context: SendContext): Promise<DeliveryResult> {
      if (context.signal.aborted) return failure("timeout", true, "aborted before sending");
      const message = renderEmail(notification, options.settings);
      try {
        const info = await transport.sendMail({
          from: options.config.from,
          to: options.config.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: `<${notification.id}@driftwatch>`,
          headers: { "X-Driftwatch-Notification-Id": notification.id },
        });
        const code = /^(\d{3})/.exec(String(info.response ?? ""));
        return { ok: true, responseCode: code !== null ? Number(code[1]) : 250 };
      } catch (error) {
        return classifySmtpError(error, redact);
      }
    },
    close: async () => {
      transport.close();
    },
  };
}

/**
 * nodemailer's transport options for an SMTP server. `requireTLS` is the explicit setting, else
 * true unless the host is loopback (localhost, 127.0.0.0/8, ::1), where STARTTLS is optional.
 */
export function smtpTransportOptions(smtp: SmtpConfig): SMTPTransport.Options {
  const timeoutMs = parseDuration(smtp.timeout);
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: resolveRequireTLS(smtp),
    ...(smtp.username !== undefined
      ? { auth: { user: smtp.username, pass: smtp.password ?? "" } }
      : {}),
    tls: {
      rejectUnauthorized: smtp.tls.rejectUnauthorized,
      ...(smtp.tls.ca !== undefined ? { ca: readFileSync(smtp.tls.ca) } : {}),
      ...(smtp.tls.servername !== undefined ? { servername: smtp.tls.servername } : {}),
    },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
}

/** SMTP failures: 4xx replies and connection trouble are retried; 5xx and auth are not. */
export function classifySmtpError(error: unknown, redact: Redactor): DeliveryResult {
  const details = error as { code?: string; responseCode?: number };
  const text = redact(describeError(error));
  const responseCode = typeof details.responseCode === "number" ? details.responseCode : undefined;
  const extra = responseCode !== undefined ? { responseCode } : {};
  if (
    details.code === "EAUTH" ||
    responseCode === 535 ||
    responseCode === 534 ||
    responseCode === 530
  ) {
    return failure("auth", false, text, extra);
  }
  if (responseCode !== undefined) {
    if (
      responseCode === 421 ||
      responseCode === 450 ||
      responseCode === 451 ||
      responseCode === 452
    ) {
      return failure("server_error", true, text, extra);
    }
    if (responseCode >= 400 && responseCode < 500)
      return failure("server_error", true, text, extra);
    if (responseCode >= 500) return failure("client_error", false, text, extra);
  }
  switch (details.code) {
    case "ETIMEDOUT":
    case "ETIMEOUT":
      return failure("timeout", true, text, extra);
    case "EENVELOPE":
    case "EMESSAGE":
      return failure("client_error", false, text, extra);
    case "ETLS":
      return failure("client_error", false, text, extra);
    default:
      return failure("network", true, text, extra);
  }
}
