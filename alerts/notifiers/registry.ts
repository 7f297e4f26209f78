// Building integrations from the config: each receiver fans out to its Slack, email and webhook
// integrations; each retrain action becomes one preset webhook.
import type { Logger } from "../../src/util/index.js";
import { parseDuration, type AlertsConfig } from "../../src/config/index.js";
import type { Notification, RenderSettings } from "../model/notification.js";
import type { RetrainRequest } from "../model/retrain-request.js";
import { createEmailIntegration } from "./email.js";
import type { HttpCall } from "./http.js";
import { createSlackIntegration } from "./slack.js";
import type { Integration } from "./types.js";
import { createRetrainIntegration, createWebhookIntegration } from "./webhook.js";

export type ReceiverIntegrations = ReadonlyMap<string, readonly Integration<Notification>[]>;
export type RetrainIntegrations = ReadonlyMap<string, Integration<RetrainRequest>>;

export interface BuildIntegrationsOptions {
  readonly alerts: AlertsConfig;
  /** HTTP call for webhooks and Slack incoming webhooks (default: fetch). */
  readonly http?: HttpCall;
  readonly logger?: Logger;
}

export function renderSettings(alerts: AlertsConfig): RenderSettings {
  return {
    grafanaDashboardUid: alerts.grafanaDashboardUid,
    ...(alerts.grafanaUrl !== undefined ? { grafanaUrl: alerts.grafanaUrl } : {}),
  };
}

export function buildReceivers(
  options: BuildIntegrationsOptions,
): Map<string, Integration<Notification>[]> {
  const { alerts } = options;
  const settings = renderSettings(alerts);
  const timeoutMs = parseDuration(alerts.delivery.timeout);
  const receivers = new Map<string, Integration<Notification>[]>();
  for (const receiver of alerts.receivers) {
    const integrations: Integration<Notification>[] = [];
    if (receiver.slack !== undefined) {
      integrations.push(
        createSlackIntegration({
          receiver: receiver.name,
          config: receiver.slack,
          slackApiUrl: alerts.slackApiUrl,
          settings,
          timeoutMs,
          ...(options.http !== undefined ? { http: options.http } : {}),
          ...(options.logger !== undefined ? { logger: options.logger } : {}),
        }),
      );
    }
    if (receiver.email !== undefined) {
      integrations.push(
        createEmailIntegration({
          receiver: receiver.name,
          config: receiver.email,
          ...(alerts.smtp !== undefined ? { defaultSmtp: alerts.smtp } : {}),
          settings,
        }),
      );
    }
    if (receiver.webhook !== undefined) {
      integrations.push(
        createWebhookIntegration(receiver.name, receiver.webhook, settings, {
          timeoutMs,
          ...(options.http !== undefined ? { http: options.http } : {}),
        }),
      );
    }
    receivers.set(receiver.name, integrations);
  }
  return receivers;
}

export function buildRetrainActions(
  options: BuildIntegrationsOptions,
): Map<string, Integration<RetrainRequest>> {
  const timeoutMs = parseDuration(options.alerts.delivery.timeout);
  const actions = new Map<string, Integration<RetrainRequest>>();
  for (const action of options.alerts.retrain.actions) {
    actions.set(
      action.name,
      createRetrainIntegration(action, {
        timeoutMs,
        ...(options.http !== undefined ? { http: options.http } : {}),
      }),
    );
  }
  return actions;
}

/** Close every integration (ignoring failures: shutting down). */
export async function closeIntegrations(
  groups: Iterable<readonly Integration<unknown>[] | Integration<unknown>>,
): Promise<void> {
  const all: Integration<unknown>[] = [];
  for (const item of groups) {
    if (Array.isArray(item)) all.push(...(item as Integration<unknown>[]));
    else all.push(item as Integration<unknown>);
  }
  await Promise.allSettled(all.map((integration) => integration.close()));
}
