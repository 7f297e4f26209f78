// Public surface of the alerts configuration: the section schema, its checks and the types.
export {
  AlertsSchema,
  type AlertsConfig,
  type DeliveryConfig,
  type SilencesConfig,
} from "./schema.js";
export { checkAlertsConfig, type AlertsConfigIssue } from "./checks.js";
export { formatDuration, parseDuration } from "../kit.js";
export {
  COMPARISONS,
  RESERVED_LABELS,
  SEVERITIES,
  type Comparison,
  type RuleConfig,
  type Severity,
} from "./rules.js";
export type {
  EmailConfig,
  ReceiverConfig,
  SlackConfig,
  SmtpConfig,
  WebhookReceiverConfig,
} from "./receivers.js";
export {
  RETRAIN_PRESETS,
  type AirflowPresetConfig,
  type GenericPresetConfig,
  type GithubPresetConfig,
  type JenkinsPresetConfig,
  type KubeflowPresetConfig,
  type RetrainActionConfig,
  type RetrainConfig,
  type RetrainPreset,
} from "./retrain.js";
export { DEFAULT_INHIBIT_RULES, type InhibitRuleConfig, type RouteConfig } from "./route.js";
