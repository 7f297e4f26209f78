// Checks of the `alerts` section the schema cannot express: cross-references (a rule naming an
// unknown receiver or retrain action), unique names, thresholds, matcher and glob syntax.
import picomatch from "picomatch";
import { parseMatcher } from "../silences/matchers.js";
import { RESERVED_LABELS } from "./rules.js";
import type { AlertsConfig } from "./schema.js";
import { RETRAIN_PRESETS } from "./retrain.js";

export interface AlertsConfigIssue {
  /** Path from the config root, e.g. ["alerts", "rules", 2, "receivers", 0]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Result kinds whose observations carry the detector's own threshold and verdict. */
const SELF_THRESHOLD_KINDS = new Set(["drift", "drift_share"]);

export function checkAlertsConfig(alerts: AlertsConfig): AlertsConfigIssue[] {
  const issues: AlertsConfigIssue[] = [];
  const at = (...path: (string | number)[]) => ["alerts", ...path];

  const receiverNames = uniqueNames(alerts.receivers, "receivers", "receiver", issues);
  const actionNames = uniqueNames(
    alerts.retrain.actions,
    "retrain.actions",
    "retrain action",
    issues,
  );
  uniqueNames(alerts.rules, "rules", "rule", issues);

  alerts.route.receivers.forEach((name, index) => {
    if (!receiverNames.has(name)) {
      issues.push({
        path: at("route", "receivers", index),
        message: unknown("receiver", name, receiverNames),
      });
    }
  });

  alerts.rules.forEach((rule, ruleIndex) => {
    rule.receivers?.forEach((name, index) => {
      if (!receiverNames.has(name)) {
        issues.push({
          path: at("rules", ruleIndex, "receivers", index),
          message: unknown("receiver", name, receiverNames),
        });
      }
    });
    rule.retrain.forEach((name, index) => {
      if (!actionNames.has(name)) {
        issues.push({
          path: at("rules", ruleIndex, "retrain", index),
          message: unknown("retrain action", name, actionNames),
        });
      }
    });
    if (rule.threshold === undefined && !SELF_THRESHOLD_KINDS.has(rule.result)) {
      issues.push({
        path: at("rules", ruleIndex, "threshold"),
        message: `is required for result "${rule.result}" (only drift and drift_share results carry the detector's own threshold)`,
      });
    }
    if (rule.relative && rule.result !== "performance_decay") {
      issues.push({
        path: at("rules", ruleIndex, "relative"),
        message: 'only applies to result "performance_decay"',
      });
    }
    for (const name of Object.keys(rule.labels)) {
      if ((RESERVED_LABELS as readonly string[]).includes(name)) {
        issues.push({
          path: at("rules", ruleIndex, "labels", name),
          message: `label "${name}" is set by driftwatch itself (reserved: ${RESERVED_LABELS.join(", ")})`,
        });
      }
    }
    for (const key of ["models", "features"] as const) {
      rule[key].forEach((glob, index) => {
        const problem = globProblem(glob);
        if (problem !== undefined)
          issues.push({ path: at("rules", ruleIndex, key, index), message: problem });
      });
    }
    const metricProblem = globProblem(rule.metric);
    if (metricProblem !== undefined)
      issues.push({ path: at("rules", ruleIndex, "metric"), message: metricProblem });
  });

  alerts.receivers.forEach((receiver, index) => {
    const path = (...rest: (string | number)[]) => at("receivers", index, ...rest);
    if (
      receiver.slack === undefined &&
      receiver.email === undefined &&
      receiver.webhook === undefined
    ) {
      issues.push({ path: path(), message: "needs at least one of slack, email, webhook" });
    }
    const slack = receiver.slack;
    if (slack !== undefined) {
      const viaApi = slack.token !== undefined || slack.channel !== undefined;
      if (slack.webhookUrl !== undefined && viaApi) {
        issues.push({
          path: path("slack"),
          message: "give either webhookUrl or token + channel, not both",
        });
      } else if (
        slack.webhookUrl === undefined &&
        (slack.token === undefined || slack.channel === undefined)
      ) {
        issues.push({
          path: path("slack", slack.token === undefined ? "token" : "channel"),
          message: "is required (slack needs token + channel, or webhookUrl)",
        });
      }
    }
    if (
      receiver.email !== undefined &&
      receiver.email.smtp === undefined &&
      alerts.smtp === undefined
    ) {
      issues.push({
        path: path("email", "smtp"),
        message: "is required when alerts.smtp is not set",
      });
    }
  });

  const smtpPaths: [readonly (string | number)[], AlertsConfig["smtp"]][] = [
    [at("smtp"), alerts.smtp],
  ];
  alerts.receivers.forEach((receiver, index) =>
    smtpPaths.push([at("receivers", index, "email", "smtp"), receiver.email?.smtp]),
  );
  for (const [path, smtp] of smtpPaths) {
    if (smtp !== undefined && (smtp.username === undefined) !== (smtp.password === undefined)) {
      issues.push({
        path: [...path, smtp.username === undefined ? "username" : "password"],
        message: "username and password must be given together",
      });
    }
  }

  alerts.retrain.actions.forEach((action, index) => {
    const presets = RETRAIN_PRESETS.filter((preset) => action[preset] !== undefined);
    if (presets.length !== 1) {
      issues.push({
        path: at("retrain", "actions", index),
        message:
          presets.length === 0
            ? `needs one of ${RETRAIN_PRESETS.join(", ")}`
            : `has ${presets.join(" and ")}: give exactly one of ${RETRAIN_PRESETS.join(", ")}`,
      });
    }
    if (action.generic !== undefined && action.secret === undefined) {
      issues.push({
        path: at("retrain", "actions", index, "secret"),
        message: "is required for a generic webhook (receivers verify the signature)",
      });
    }
    const airflow = action.airflow;
    if (airflow !== undefined) {
      if ((airflow.username === undefined) !== (airflow.password === undefined)) {
        issues.push({
          path: at(
            "retrain",
            "actions",
            index,
            "airflow",
            airflow.username === undefined ? "username" : "password",
          ),
          message: "username and password must be given together",
        });
      }
      if (airflow.token !== undefined && airflow.username !== undefined) {
        issues.push({
          path: at("retrain", "actions", index, "airflow", "token"),
          message: "give either token or username + password, not both",
        });
      }
    }
    const jenkins = action.jenkins;
    if (
      jenkins !== undefined &&
      (jenkins.username === undefined) !== (jenkins.token === undefined)
    ) {
      issues.push({
        path: at(
          "retrain",
          "actions",
          index,
          "jenkins",
          jenkins.username === undefined ? "username" : "token",
        ),
        message: "username and token must be given together",
      });
    }
  });

  alerts.inhibitRules.forEach((rule, index) => {
    for (const key of ["sourceMatchers", "targetMatchers"] as const) {
      rule[key].forEach((text, matcherIndex) => {
        try {
          parseMatcher(text);
        } catch (error) {
          issues.push({
            path: at("inhibitRules", index, key, matcherIndex),
            message: (error as Error).message,
          });
        }
      });
    }
  });
  return issues;
}

function uniqueNames(
  items: readonly { name: string }[],
  section: string,
  what: string,
  issues: AlertsConfigIssue[],
): Set<string> {
  const names = new Set<string>();
  items.forEach((item, index) => {
    if (names.has(item.name)) {
      issues.push({
        path: ["alerts", ...section.split("."), index, "name"],
        message: `duplicate ${what} name "${item.name}"`,
      });
    }
    names.add(item.name);
  });
  return names;
}

function unknown(what: string, name: string, known: ReadonlySet<string>): string {
  const list = known.size > 0 ? [...known].map((item) => `"${item}"`).join(", ") : "none defined";
  return `unknown ${what} "${name}" (known: ${list})`;
}

function globProblem(glob: string): string | undefined {
  try {
    picomatch.makeRe(glob, { strictBrackets: true });
    return undefined;
  } catch (error) {
    return `invalid glob ${JSON.stringify(glob)}: ${(error as Error).message}`;
  }
}
