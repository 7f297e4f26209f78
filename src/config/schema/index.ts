// The root config schema, assembled from one file per section. A new section (models, alerts,
// auth…) is a new file here plus one line in CONFIG_SECTIONS (and, if it needs them, in CONFIG_CHECKS).
import { Type, type Static } from "@sinclair/typebox";
import { AlertsSchema, checkAlertsConfig } from "./alerts/index.js";
import { checkSelfMonitoring } from "./alerts/self-monitoring.js";
import { AuthSchema, checkAuthConfig } from "./auth.js";
import type { ConfigCheckIssue } from "./kit.js";
import { ClickHouseSchema } from "./clickhouse.js";
import { checkIngestConfig, IngestSchema } from "./ingest.js";
import { checkIntegrationsConfig, IntegrationsSchema } from "./integrations/index.js";
import { KafkaSchema } from "./kafka.js";
import { checkModelsConfig, ModelsSchema } from "./models.js";
import { checkMonitorConfig, MonitorSchema } from "./monitor.js";
import { RetentionSchema } from "./retention.js";
import { checkServerConfig, ServerSchema } from "./server.js";

/** Top-level keys of driftwatch.yaml and the schema of each. */
export const CONFIG_SECTIONS = {
  kafka: KafkaSchema,
  clickhouse: ClickHouseSchema,
  ingest: IngestSchema,
  retention: RetentionSchema,
  server: ServerSchema,
  alerts: AlertsSchema,
  auth: AuthSchema,
  monitor: MonitorSchema,
  models: ModelsSchema,
  integrations: IntegrationsSchema,
};

export const ConfigSchema = Type.Object(CONFIG_SECTIONS, { additionalProperties: false });

/** The validated configuration, every default filled in. */
export type DriftwatchConfig = Static<typeof ConfigSchema>;

export type { ConfigCheckIssue } from "./kit.js";

/** Checks run after schema validation, on a config with defaults applied. */
export type ConfigCheck = (config: DriftwatchConfig) => ConfigCheckIssue[];

export const CONFIG_CHECKS: readonly ConfigCheck[] = [
  (config) => checkAlertsConfig(config.alerts),
  (config) => checkSelfMonitoring(config.alerts),
  (config) => checkAuthConfig(config.auth),
  (config) => checkModelsConfig(config.models),
  (config) => checkMonitorConfig(config.monitor),
  (config) => checkIngestConfig(config.ingest),
  (config) => checkServerConfig(config.server),
  (config) => checkIntegrationsConfig(config.integrations),
  (config) => {
    const { ssl } = config.kafka;
    if ((ssl.cert === undefined) === (ssl.key === undefined)) return [];
    const [given, missing] = ssl.cert !== undefined ? ["cert", "key"] : ["key", "cert"];
    return [
      {
        path: ["kafka", "ssl", given],
        message: `needs kafka.ssl.${missing} as well (mutual TLS)`,
      },
    ];
  },
];
