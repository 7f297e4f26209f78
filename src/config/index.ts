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
export {
  type ServerConfig,
  checkServerConfig,
  checkServerExposure,
  type ServerTlsConfig,
  type ServerRateLimitConfig,
} from "./schema/server.js";
export { type ApiRole, authRequired, type AuthConfig, type AuthToken } from "./schema/auth.js";
export { DURATION_UNIT_MS, parseDuration } from "./schema/kit.js";
export type {
  IntegrationsConfig,
  KserveConfig,
  MlflowConfig,
  SeldonConfig,
} from "./schema/integrations/index.js";
export {
  AlertsSchema,
  checkAlertsConfig,
  type AlertsConfig,
  type AlertsConfigIssue,
} from "./schema/alerts/index.js";
export type { Comparison, RuleConfig, Severity } from "./schema/alerts/rules.js";
export { selfMonitoringRules } from "./schema/alerts/self-monitoring.js";
export type { InhibitRuleConfig } from "./schema/alerts/route.js";
export type { DeliveryConfig } from "./schema/alerts/schema.js";
export {
  type SlackConfig,
  type WebhookReceiverConfig,
  resolveRequireTLS,
  type EmailConfig,
  type SmtpConfig,
} from "./schema/alerts/receivers.js";
export type {
  GenericPresetConfig,
  AirflowPresetConfig,
  GithubPresetConfig,
  KubeflowPresetConfig,
  JenkinsPresetConfig,
  RetrainActionConfig,
} from "./schema/alerts/retrain.js";
export { type ModelConfig, ModelSchema } from "./schema/models.js";
