// The MLflow integration of one process, built from `integrations.mlflow`: the REST client, the
// follower (its poll loop runs on the elected evaluator), the webhook receiver (when a secret is
// configured; any instance's API) and the tag writer (wherever windows are evaluated).
import { parseDuration, type MlflowConfig } from "../../config/index.js";
import type { MonitorOperations } from "../../monitor/index.js";
import type { Logger } from "../../util/index.js";
import { MlflowClient } from "./client.js";
import { MlflowFollower } from "./follower.js";
import { MlflowTagWriter } from "./tags.js";
import { MlflowWebhookReceiver } from "./webhook.js";

export interface MlflowIntegrationOptions {
  readonly config: MlflowConfig;
  readonly monitor: MonitorOperations;
  readonly logger: Logger;
  /** MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD when the config names no credentials. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export interface MlflowIntegration {
  readonly client: MlflowClient;
  readonly follower: MlflowFollower;
  readonly tags: MlflowTagWriter;
  /** Undefined unless integrations.mlflow.webhook is configured. */
  readonly webhook: MlflowWebhookReceiver | undefined;
}

export function createMlflowIntegration(options: MlflowIntegrationOptions): MlflowIntegration {
  const { config, monitor } = options;
  const logger = options.logger.child({ component: "mlflow" });
  const env = options.env ?? {};
  const username = config.username ?? nonEmpty(env.MLFLOW_TRACKING_USERNAME);
  const password = config.password ?? nonEmpty(env.MLFLOW_TRACKING_PASSWORD);
  const client = new MlflowClient({
    trackingUri: config.trackingUri,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    timeoutMs: parseDuration(config.requestTimeout),
    attempts: config.retries,
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
  });
  const follower = new MlflowFollower({
    config,
    client,
    monitor,
    logger,
    pollIntervalMs: parseDuration(config.polling.interval),
  });
  const webhook =
    config.webhook === undefined
      ? undefined
      : new MlflowWebhookReceiver({
          secret: config.webhook.secret,
          maxAgeMs: parseDuration(config.webhook.maxAge),
          follower,
          now: options.now ?? Date.now,
        });
  return {
    client,
    follower,
    tags: new MlflowTagWriter({ config, client, monitor, logger }),
    webhook,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
