// The `alerts` config section: rules, receivers, routing/grouping, inhibition, silences, retrain
// actions, delivery (retry) and engine timing, Slack API base URL and Grafana link settings.
import { Type, type Static } from "@sinclair/typebox";
import { PositiveInteger, Duration } from "../kit.js";
import { ReceiverSchema, SmtpSchema } from "./receivers.js";
import { RetrainSchema } from "./retrain.js";
import { DEFAULT_INHIBIT_RULES, InhibitRuleSchema, RouteSchema } from "./route.js";
import { RuleSchema } from "./rules.js";
import { SelfMonitoringSchema } from "./self-monitoring.js";

export const SilencesSchema = Type.Object(
  {
    defaultDuration: Duration("2h", "length of a silence created without an end"),
    maxDuration: Duration("30d", "longest silence accepted"),
    reloadInterval: Duration("15s", "how often the evaluator re-reads silences from ClickHouse"),
  },
  { additionalProperties: false, default: {} },
);

export const DeliverySchema = Type.Object(
  {
    maxAttempts: PositiveInteger(12, { description: "attempts per notification and integration" }),
    initialBackoff: Duration("1s", "first retry delay; doubles per attempt, with jitter"),
    maxBackoff: Duration("1m", "longest retry delay"),
    maxRetryAfter: Duration("5m", "longest Retry-After honoured; longer waits are capped"),
    timeout: Duration("10s", "per request"),
    logFlushInterval: Duration("1s", "delivery log rows are written in batches this often"),
  },
  { additionalProperties: false, default: {} },
);

export const EngineTimingSchema = Type.Object(
  {
    tickInterval: Duration("1s", "how often groups are checked for due notifications"),
    stateFlushInterval: Duration("1s", "alert state changes are written in batches this often"),
  },
  { additionalProperties: false, default: {} },
);

export const AlertsSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    slackApiUrl: Type.String({
      pattern: "^https?://\\S+/$",
      patternHint: "must be an http(s) URL ending in /",
      default: "https://slack.com/api/",
      description: "Slack Web API base URL (point at a compatible server in tests)",
    }),
    grafanaUrl: Type.Optional(
      Type.String({
        pattern: "^https?://[^\\s/]+(/\\S*)?$",
        patternHint: "must be an http:// or https:// URL",
        description: "Grafana base URL for dashboard links in notifications",
      }),
    ),
    grafanaDashboardUid: Type.String({ minLength: 1, default: "driftwatch-model" }),
    route: RouteSchema,
    rules: Type.Array(RuleSchema, { default: [] }),
    receivers: Type.Array(ReceiverSchema, { default: [] }),
    inhibitRules: Type.Array(InhibitRuleSchema, { default: DEFAULT_INHIBIT_RULES }),
    smtp: Type.Optional(SmtpSchema),
    silences: SilencesSchema,
    retrain: RetrainSchema,
    delivery: DeliverySchema,
    engine: EngineTimingSchema,
    selfMonitoring: SelfMonitoringSchema,
  },
  { additionalProperties: false, default: {} },
);

export type AlertsConfig = Static<typeof AlertsSchema>;
export type DeliveryConfig = Static<typeof DeliverySchema>;
export type SilencesConfig = Static<typeof SilencesSchema>;
