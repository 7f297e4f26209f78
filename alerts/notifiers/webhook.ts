// Webhook integrations: alert notifications as signed, versioned JSON to a receiver's URL, and
// retrain requests through a preset (GitHub, Airflow, Jenkins, Kubeflow, generic). Every request
// carries an `Idempotency-Key` and, when a secret is configured, `X-Driftwatch-Signature`
// (HMAC-SHA256 over timestamp + "." + body) with `X-Driftwatch-Timestamp`.
import type { WebhookReceiverConfig, RetrainActionConfig } from "../../src/config/index.js";
import type { Notification, RenderSettings } from "../model/notification.js";
import type { RetrainRequest } from "../model/retrain-request.js";
import { notificationPayload } from "../templates/webhook-payload.js";
import {
  fetchHttpCall,
  statusResult,
  transportFailure,
  type HttpCall,
  type HttpRequest,
  type HttpResponse,
} from "./http.js";
import { airflowPreset } from "./presets/airflow.js";
import { genericPreset } from "./presets/generic.js";
import { githubPreset } from "./presets/github.js";
import { jenkinsPreset } from "./presets/jenkins.js";
import { kubeflowPreset } from "./presets/kubeflow.js";
import type { RetrainPresetAdapter } from "./presets/preset.js";
import { createRedactor, type Redactor } from "./redact.js";
import { IDEMPOTENCY_HEADER, signatureHeaders } from "./signature.js";
import type { DeliveryResult, Integration, SendContext } from "./types.js";

export interface WebhookOptions {
  readonly timeoutMs: number;
  readonly http?: HttpCall;
}

/** Send one request with the idempotency and signature headers added. */
async function sendSigned(
  request: HttpRequest,
  idempotencyKey: string,
  secret: string | undefined,
  context: SendContext,
  http: HttpCall,
  timeoutMs: number,
  redact: Redactor,
  acceptsAsDelivered?: (response: HttpResponse) => boolean,
): Promise<DeliveryResult> {
  const body = request.body ?? "";
  const headers: Record<string, string> = {
    "User-Agent": "driftwatch",
    ...request.headers,
    [IDEMPOTENCY_HEADER]: idempotencyKey,
    ...(secret !== undefined ? signatureHeaders(secret, body, context.now) : {}),
  };
  try {
    const response = await http(
      { ...request, headers, body },
      { signal: context.signal, timeoutMs },
    );
    if (acceptsAsDelivered?.(response) === true) return { ok: true, responseCode: response.status };
    return statusResult(response, context.now, redact);
  } catch (error) {
    return transportFailure(error, redact);
  }
}

/** A webhook receiver of alert notifications. */
export function createWebhookIntegration(
  receiver: string,
  config: WebhookReceiverConfig,
  settings: RenderSettings,
  options: WebhookOptions,
): Integration<Notification> {
  const redact = createRedactor([config.secret, ...Object.values(config.headers)]);
  const http = options.http ?? fetchHttpCall;
  return {
    kind: "webhook",
    owner: receiver,
    sendResolved: config.sendResolved,
    send: (notification, context) =>
      sendSigned(
        {
          url: config.url,
          headers: { ...config.headers, "Content-Type": "application/json" },
          body: JSON.stringify(notificationPayload(notification, settings)),
        },
        notification.id,
        config.secret,
        context,
        http,
        options.timeoutMs,
        redact,
      ),
    close: async () => undefined,
  };
}

export function retrainPresetAdapter(action: RetrainActionConfig): RetrainPresetAdapter {
  if (action.github !== undefined) return githubPreset(action.github);
  if (action.airflow !== undefined) return airflowPreset(action.airflow);
  if (action.jenkins !== undefined) return jenkinsPreset(action.jenkins);
  if (action.kubeflow !== undefined) return kubeflowPreset(action.kubeflow);
  if (action.generic !== undefined) return genericPreset(action.generic);
  throw new Error(`retrain action ${action.name}: no preset configured`);
}

/** A retrain action: the request built by its preset, signed and sent. */
export function createRetrainIntegration(
  action: RetrainActionConfig,
  options: WebhookOptions,
): Integration<RetrainRequest> {
  const preset = retrainPresetAdapter(action);
  const redact = createRedactor([action.secret, ...preset.secrets]);
  const http = options.http ?? fetchHttpCall;
  return {
    kind: "webhook",
    owner: action.name,
    sendResolved: false,
    async send(request, context) {
      let prepared: HttpRequest | DeliveryResult;
      try {
        prepared = await preset.prepare(request, {
          http,
          signal: context.signal,
          timeoutMs: options.timeoutMs,
          now: context.now,
        });
      } catch (error) {
        return transportFailure(error, redact);
      }
      if ("ok" in prepared) return prepared;
      return sendSigned(
        prepared,
        request.id,
        action.secret,
        context,
        http,
        options.timeoutMs,
        redact,
        preset.acceptsAsDelivered,
      );
    },
    close: async () => undefined,
  };
}
