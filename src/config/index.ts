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
