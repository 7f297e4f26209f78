// Slack integration: chat.postMessage through @slack/web-api's WebClient (base URL `slackApiUrl`,
// its own retries disabled and rate-limited calls rejected, so the retry stage owns retries) or an
// incoming-webhook URL. Block Kit messages; later messages of an episode (changes, repeats, the
// resolve) are posted in the thread of its first message.
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from "@slack/web-api";
import type { SlackConfig } from "../../src/config/index.js";
import type { Notification, RenderSettings } from "../model/notification.js";
import { renderSlackMessage } from "../templates/slack-blocks.js";
import type { Logger } from "../../src/util/index.js";
import { fetchHttpCall, statusResult, transportFailure, type HttpCall } from "./http.js";
import { createRedactor, describeError, type Redactor } from "./redact.js";
import { slackLogger } from "./slack-logger.js";
import { failure, type DeliveryResult, type Integration, type SendContext } from "./types.js";

export interface SlackIntegrationOptions {
  readonly receiver: string;
  readonly config: SlackConfig;
  readonly slackApiUrl: string;
  readonly settings: RenderSettings;
  readonly timeoutMs: number;
  /** HTTP call for incoming webhooks (default: fetch). */
  readonly http?: HttpCall;
  readonly logger?: Logger;
}

/** Slack error codes meaning the token is refused: not retryable. */
const AUTH_ERRORS = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "no_permission",
  "missing_scope",
  "not_allowed_token_type",
  "ekm_access_denied",
  "team_access_not_granted",
]);
/** Slack error codes meaning "try again later". */
const TRANSIENT_ERRORS = new Set([
  "fatal_error",
  "internal_error",
  "service_unavailable",
  "request_timeout",
]);

export function createSlackIntegration(
  options: SlackIntegrationOptions,
): Integration<Notification> {
  const { config } = options;
  const redact = createRedactor([config.token, config.webhookUrl]);
  if (config.webhookUrl !== undefined) return incomingWebhook(options, config.webhookUrl, redact);
  const client = new WebClient(config.token, {
    slackApiUrl: options.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs,
    allowAbsoluteUrls: false,
    logger: slackLogger(options.logger, redact),
  });
  return {
    kind: "slack",
    owner: options.receiver,
    sendResolved: config.sendResolved,
    async send(notification: Notification, context: SendContext): Promise<DeliveryResult> {
      if (context.signal.aborted) return failure("timeout", true, "aborted before sending");
      const message = renderSlackMessage(notification, options.settings, config.mentionOnCritical);
      try {
        const result = await client.chat.postMessage({
          channel: config.channel!,
          text: message.text,
          blocks: message.blocks as never,
          unfurl_links: false,
          unfurl_media: false,
          ...(notification.threadRef !== undefined ? { thread_ts: notification.threadRef } : {}),
          ...(config.username !== undefined ? { username: config.username } : {}),
          ...(config.iconEmoji !== undefined ? { icon_emoji: config.iconEmoji } : {}),
        });
        // Keep the thread root: a reply's own ts is not where later replies belong.
        const externalRef =
          notification.threadRef ?? (typeof result.ts === "string" ? result.ts : undefined);
        return {
          ok: true,
          responseCode: 200,
          ...(externalRef !== undefined ? { externalRef } : {}),
        };
      } catch (error) {
        return classifySlackError(error, redact);
      }
    },
    close: async () => undefined,
  };
}

/** Map WebClient's errors to a DeliveryResult. */
export function classifySlackError(error: unknown, redact: Redactor): DeliveryResult {
  if (error instanceof WebAPIRateLimitedError) {
    return failure("rate_limited", true, `rate limited: retry after ${error.retryAfter}s`, {
      responseCode: 429,
      retryAfterMs: error.retryAfter * 1000,
    });
  }
  if (error instanceof WebAPIPlatformError) {
    const code = String(error.data.error);
    const text = redact(`slack error ${code}`);
    if (AUTH_ERRORS.has(code)) return failure("auth", false, text, { responseCode: 200 });
    if (code === "ratelimited" || code === "rate_limited")
      return failure("rate_limited", true, text, { responseCode: 200 });
    if (TRANSIENT_ERRORS.has(code))
      return failure("server_error", true, text, { responseCode: 200 });
    return failure("client_error", false, text, { responseCode: 200 });
  }
  if (error instanceof WebAPIHTTPError) {
    const body = typeof error.body === "string" ? error.body : JSON.stringify(error.body ?? "");
    return statusResult(
      { status: error.statusCode, headers: new Headers(error.headers), body },
      Date.now(),
      redact,
    );
  }
  if (error instanceof WebAPIRequestError) return transportFailure(error.original, redact);
  const text = redact(describeError(error));
  // A 429 without a usable Retry-After comes back as a plain Error.
  if (/rate limit|retry header/i.test(text))
    return failure("rate_limited", true, text, { responseCode: 429 });
  return failure("network", true, text);
}

function incomingWebhook(
  options: SlackIntegrationOptions,
  url: string,
  redact: Redactor,
): Integration<Notification> {
  const http = options.http ?? fetchHttpCall;
  return {
    kind: "slack",
    owner: options.receiver,
    sendResolved: options.config.sendResolved,
    async send(notification: Notification, context: SendContext): Promise<DeliveryResult> {
      const message = renderSlackMessage(
        notification,
        options.settings,
        options.config.mentionOnCritical,
      );
      try {
        const response = await http(
          {
            url,
            headers: { "Content-Type": "application/json; charset=utf-8" },
            body: JSON.stringify({
              text: message.text,
              blocks: message.blocks,
              ...(options.config.username !== undefined
                ? { username: options.config.username }
                : {}),
              ...(options.config.iconEmoji !== undefined
                ? { icon_emoji: options.config.iconEmoji }
                : {}),
            }),
          },
          { signal: context.signal, timeoutMs: options.timeoutMs },
        );
        const result = statusResult(response, context.now, redact);
        // Slack answers webhook errors with 4xx/5xx and a text body such as "invalid_token".
        if (!result.ok && /invalid_token|no_service|action_prohibited/.test(response.body)) {
          return failure("auth", false, result.error, { responseCode: response.status });
        }
        return result;
      } catch (error) {
        return transportFailure(error, redact);
      }
    },
    close: async () => undefined,
  };
}
