// driftwatch watching itself: the `alerts.selfMonitoring` section and the built-in rules it adds
// to the user's (on unless disabled). They read the `health` observations the evaluator reports
// on every tick (docs/alerts.md "driftwatch itself"): a dead man's switch per model, ingest lag,
// dead-letter rate, models gone silent, repeated evaluation or delivery failures, and an optional
// always-firing heartbeat so a receiver notices when alerts stop altogether.
import { Type, type Static } from "@sinclair/typebox";
import {
  PositiveInteger,
  StringEnum,
  type ConfigCheckIssue,
  Duration,
  parseDuration,
} from "../kit.js";
import { HEALTH_METRIC, SERVICE_MODEL } from "../../../../detectors/index.js";
import type { RuleConfig } from "./rules.js";

/** The built-in rules, by name (a user rule of the same name replaces the built-in one). */
export const SELF_RULE_NAMES = [
  "driftwatch-evaluation-stalled",
  "driftwatch-evaluation-failing",
  "driftwatch-ingest-lag",
  "driftwatch-dead-letters",
  "driftwatch-model-silent",
  "driftwatch-notifications-failing",
] as const;
export type SelfRuleName = (typeof SELF_RULE_NAMES)[number];

export const HEARTBEAT_RULE = "driftwatch-heartbeat";

export const SelfMonitoringSchema = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description: "add the built-in rules that alert on driftwatch's own failures",
    }),
    receivers: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: "receivers of the built-in rules; absent: alerts.route.receivers",
      }),
    ),
    ingestLag: Duration("5m", "alert when the oldest message not yet ingested is older"),
    deadLetterRate: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.01,
      description: "alert when this share of the messages of the last 5 minutes is dead-lettered",
    }),
    failures: PositiveInteger(3, {
      description:
        "alert after this many consecutive failed evaluation passes of a model, or failed notifications within 15 minutes",
    }),
    disable: Type.Array(StringEnum(SELF_RULE_NAMES), {
      default: [],
      description: "built-in rules to leave out",
    }),
    heartbeat: Type.Object(
      {
        enabled: Type.Boolean({
          default: false,
          description: "an always-firing alert, resent every repeatInterval (a Watchdog)",
        }),
        receivers: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
        repeatInterval: Duration("1h", "how often the heartbeat is resent"),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

export type SelfMonitoringConfig = Static<typeof SelfMonitoringSchema>;

function healthRule(
  name: string,
  metric: string,
  models: readonly string[],
  fields: Partial<RuleConfig> & { summary: string },
  receivers: readonly string[] | undefined,
): RuleConfig {
  const { summary, ...rest } = fields;
  return {
    name,
    models: [...models],
    features: ["*"],
    result: "health",
    metric,
    op: ">",
    relative: false,
    for: 1,
    keepFiringFor: 0,
    severity: "critical",
    labels: { component: "driftwatch" },
    annotations: { summary },
    retrain: [],
    ...(receivers !== undefined ? { receivers: [...receivers] } : {}),
    ...rest,
  };
}

/**
 * The built-in rules for `self` (an empty list when disabled). Rules named like a rule of
 * `userRules` are left out: the user's rule replaces the built-in one.
 */
export function selfMonitoringRules(
  self: SelfMonitoringConfig,
  userRules: readonly RuleConfig[] = [],
): RuleConfig[] {
  if (!self.enabled) return [];
  const receivers = self.receivers;
  const rules: RuleConfig[] = [
    // No threshold: each model's observation carries its own limit, 2 × its interval.
    healthRule(
      "driftwatch-evaluation-stalled",
      HEALTH_METRIC.evaluationAge,
      ["*"],
      {
        summary:
          "driftwatch has not brought the evaluation of {{model}} up to date for {{value}} s (limit {{threshold}} s)",
      },
      receivers,
    ),
    healthRule(
      "driftwatch-evaluation-failing",
      HEALTH_METRIC.evaluationFailures,
      ["*"],
      {
        op: ">=",
        threshold: self.failures,
        summary: "evaluating {{model}} failed {{value}} times in a row",
      },
      receivers,
    ),
    healthRule(
      "driftwatch-ingest-lag",
      HEALTH_METRIC.ingestLag,
      [SERVICE_MODEL],
      {
        threshold: parseDuration(self.ingestLag) / 1000,
        summary:
          "the oldest message waiting for the ingester is {{value}} s old (limit {{threshold}} s)",
      },
      receivers,
    ),
    healthRule(
      "driftwatch-dead-letters",
      HEALTH_METRIC.deadLetterRate,
      [SERVICE_MODEL],
      {
        threshold: self.deadLetterRate,
        severity: "warning",
        summary:
          "{{value}} of the messages of the last 5 minutes were dead-lettered (limit {{threshold}})",
      },
      receivers,
    ),
    healthRule(
      "driftwatch-model-silent",
      HEALTH_METRIC.ingestedRows,
      ["*"],
      {
        op: "<",
        threshold: 1,
        severity: "warning",
        summary:
          "no event of {{model}} was ingested during its last interval, after earlier traffic",
      },
      receivers,
    ),
    healthRule(
      "driftwatch-notifications-failing",
      HEALTH_METRIC.notificationFailures,
      [SERVICE_MODEL],
      {
        op: ">=",
        threshold: self.failures,
        severity: "warning",
        summary: "{{value}} notifications failed for good within 15 minutes",
      },
      receivers,
    ),
  ].filter((rule) => !self.disable.includes(rule.name as SelfRuleName));
  if (self.heartbeat.enabled) {
    rules.push(
      healthRule(
        HEARTBEAT_RULE,
        HEALTH_METRIC.heartbeat,
        [SERVICE_MODEL],
        {
          op: ">=",
          threshold: 1,
          severity: "info",
          summary: "driftwatch is alive and its alerts flow (this alert always fires)",
          group: { groupWait: "0s", repeatInterval: self.heartbeat.repeatInterval },
        },
        self.heartbeat.receivers ?? receivers,
      ),
    );
  }
  const taken = new Set(userRules.map((rule) => rule.name));
  return rules.filter((rule) => !taken.has(rule.name));
}

/** Receivers the section names must exist (the schema cannot say). */
export function checkSelfMonitoring(alerts: {
  readonly receivers: readonly { readonly name: string }[];
  readonly selfMonitoring: SelfMonitoringConfig;
}): ConfigCheckIssue[] {
  const known = new Set(alerts.receivers.map((receiver) => receiver.name));
  const issues: ConfigCheckIssue[] = [];
  const check = (names: readonly string[] | undefined, path: (string | number)[]) =>
    names?.forEach((name, index) => {
      if (!known.has(name)) {
        issues.push({
          path: [...path, index],
          message: `unknown receiver "${name}" (known: ${[...known].map((item) => `"${item}"`).join(", ") || "none defined"})`,
        });
      }
    });
  check(alerts.selfMonitoring.receivers, ["alerts", "selfMonitoring", "receivers"]);
  check(alerts.selfMonitoring.heartbeat.receivers, [
    "alerts",
    "selfMonitoring",
    "heartbeat",
    "receivers",
  ]);
  return issues;
}
