// Public surface of the configuration module: loading, errors, redaction and the config types.
export { loadConfig, parseConfig, type Environment, type LoadConfigOptions } from "./load.js";
export {
  ConfigError,
  formatConfigIssue,
  formatConfigPath,
  type ConfigIssue,
  type ConfigPath,
} from "./errors.js";
export { redactConfig, redactWithSchema, REDACTED } from "./redact.js";
export { ENV_OVERRIDES } from "./env-overrides.js";
export {
  CONFIG_CHECKS,
  CONFIG_SECTIONS,
  ConfigSchema,
  type ConfigCheck,
  type ConfigCheckIssue,
  type DriftwatchConfig,
} from "./schema/index.js";
export type { ClickHouseConfig } from "./schema/clickhouse.js";
export type { IngestConfig } from "./schema/ingest.js";
export { SASL_MECHANISMS, type KafkaConfig } from "./schema/kafka.js";
export { RETAINED_TABLES, type RetainedTable, type RetentionConfig } from "./schema/retention.js";
export type { ServerConfig } from "./schema/server.js";
export type { ApiRole } from "./schema/auth.js";
export { authRequired } from "./schema/auth.js";
export type { AuthConfig } from "./schema/auth.js";
export type { AuthToken } from "./schema/auth.js";
export { checkServerConfig } from "./schema/server.js";
export { checkServerExposure } from "./schema/server.js";
export type { ServerTlsConfig } from "./schema/server.js";
export { DURATION_UNIT_MS } from "./schema/kit.js";
export type { ServerRateLimitConfig } from "./schema/server.js";
export { parseDuration } from "./schema/kit.js";
export type {
  IntegrationsConfig,
  KserveConfig,
  MlflowConfig,
  SeldonConfig,
} from "./schema/integrations/index.js";
export { AlertsSchema } from "./schema/alerts/index.js";
export { checkAlertsConfig } from "./schema/alerts/index.js";
export type { AlertsConfig } from "./schema/alerts/index.js";
export type { AlertsConfigIssue } from "./schema/alerts/index.js";
export type { Comparison } from "./schema/alerts/rules.js";
export type { RuleConfig } from "./schema/alerts/rules.js";
export type { Severity } from "./schema/alerts/rules.js";
export { selfMonitoringRules } from "./schema/alerts/self-monitoring.js";
export type { InhibitRuleConfig } from "./schema/alerts/route.js";
export type { DeliveryConfig } from "./schema/alerts/schema.js";
export type { SlackConfig } from "./schema/alerts/receivers.js";
export type { GenericPresetConfig } from "./schema/alerts/retrain.js";
export type { AirflowPresetConfig } from "./schema/alerts/retrain.js";
export type { GithubPresetConfig } from "./schema/alerts/retrain.js";
export type { KubeflowPresetConfig } from "./schema/alerts/retrain.js";
export type { JenkinsPresetConfig } from "./schema/alerts/retrain.js";
export type { WebhookReceiverConfig } from "./schema/alerts/receivers.js";
export type { RetrainActionConfig } from "./schema/alerts/retrain.js";
export { resolveRequireTLS } from "./schema/alerts/receivers.js";
export type { EmailConfig } from "./schema/alerts/receivers.js";
export type { SmtpConfig } from "./schema/alerts/receivers.js";
export type { ModelConfig } from "./schema/models.js";
export { ModelSchema } from "./schema/models.js";
