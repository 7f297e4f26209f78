// What the routes share: the dependencies the app was built with, and the audit writer.
import type { AlertsApi } from "../../alerts/index.js";
import type { AuditLog } from "../audit/index.js";
import type { ApiMetrics } from "./api-metrics.js";
import type { DriftwatchConfig } from "../config/index.js";
import type { MlflowWebhookReceiver } from "../integrations/index.js";
import type { Producer } from "../kafka/index.js";
import type { Registry } from "../metrics/index.js";
import type { MonitorOperations } from "../monitor/index.js";
import type { SqlEngine } from "../store/index.js";
import type { Logger } from "../util/index.js";

/** A readiness check: "" when ready, otherwise the reason. */
export type AsyncReadinessCheck = () => string | Promise<string>;

export interface ApiDependencies {
  readonly config: DriftwatchConfig;
  readonly engine: SqlEngine;
  /** Connected producer for POST /api/v1/events (to config.kafka.topics.predictions). */
  readonly producer: Producer;
  readonly monitor: MonitorOperations;
  readonly alertsApi: AlertsApi;
  /** The process's Prometheus registry, served at /metrics. */
  readonly registry: Registry;
  readonly logger: Logger;
  /** Checks besides ClickHouse for /readyz (e.g. kafka, the other roles of the process). */
  readonly readiness?: Readonly<Record<string, AsyncReadinessCheck>>;
  /** Receives MLflow webhooks at POST /api/v1/integrations/mlflow/webhook (route absent without). */
  readonly mlflowWebhook?: MlflowWebhookReceiver;
  /** Defaults to driftwatch.audit_log in config.clickhouse.database. */
  readonly audit?: AuditLog;
}

export interface ApiContext extends ApiDependencies {
  readonly audit: AuditLog;
  readonly metrics: ApiMetrics;
}
