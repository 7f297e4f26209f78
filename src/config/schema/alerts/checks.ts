// Checks of the `alerts` section the schema cannot express: cross-references (a rule naming an
// unknown receiver or retrain action), unique names, thresholds, matcher syntax (RE2) and glob
// syntax and size; and the warnings that do not stop start-up (inline secrets, plain http).
import { storedText, MAX_MATCHERS_PER_SILENCE, parseMatcher } from "../../../util/index.js";
import type { TSchema } from "@sinclair/typebox";
import picomatch from "picomatch";
import { DRIFT_SHARE_METRIC, type ResultKind } from "../../../../detectors/index.js";
import { isSecretSchema, type ConfigCheckIssue } from "../kit.js";
import { isLoopbackHost, resolveRequireTLS, type SmtpConfig } from "./receivers.js";
import { RESERVED_LABELS } from "./rules.js";
import { AlertsSchema, type AlertsConfig } from "./schema.js";
import { RETRAIN_PRESETS } from "./retrain.js";

/** A problem of the alerts section; its path starts at the config root ("alerts", …). */
export type AlertsConfigIssue = ConfigCheckIssue;

/** Result kinds whose observations carry the detector's own threshold and verdict. */
const SELF_THRESHOLD_KINDS = new Set<ResultKind>([
  "drift",
  DRIFT_SHARE_METRIC,
  "performance_estimated",
]);

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
        message: `is required for result "${rule.result}" (only drift, drift_share and performance_estimated results carry the detector's own threshold)`,
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
      if (rule[key].length > MAX_MATCHERS_PER_SILENCE) {
        issues.push({
          path: at("inhibitRules", index, key),
          message: `has ${rule[key].length} matchers, at most ${MAX_MATCHERS_PER_SILENCE} are allowed`,
        });
        continue;
      }
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

/** Longest rule glob, in characters. */
export const MAX_GLOB_LENGTH = 200;
/** Most `*` / `**` wildcards in one glob: matching time grows as the name's length to this power. */
export const MAX_GLOB_WILDCARDS = 2;
/** Most wildcards and `{…}` / `(…)` / `@(…)` groups together in one glob. */
export const MAX_GLOB_BRANCHES = 3;

/**
 * Why a rule glob is refused, or undefined. picomatch compiles globs to backtracking JavaScript
 * regexes, so beyond syntax a glob is bounded: length, wildcards, groups, and no quantified or
 * negated extglobs (`+(…)`, `*(…)`, `?(…)`, `!(…)`), which nest quantifiers.
 */
export function globProblem(glob: string): string | undefined {
  const shown = JSON.stringify(storedText(glob, 60));
  if (glob.length > MAX_GLOB_LENGTH) {
    return `invalid glob ${shown}: ${glob.length} characters long, at most ${MAX_GLOB_LENGTH} are allowed`;
  }
  const shape = globShape(glob);
  if (shape.extglob !== undefined) {
    return `invalid glob ${shown}: extglob ${shape.extglob}(…) is not supported (its matching time can grow exponentially); list the alternatives as separate globs or use @(a|b)`;
  }
  if (shape.wildcards > MAX_GLOB_WILDCARDS) {
    return `invalid glob ${shown}: ${shape.wildcards} * wildcards, at most ${MAX_GLOB_WILDCARDS} are allowed per glob; split it into several globs`;
  }
  if (shape.wildcards + shape.groups > MAX_GLOB_BRANCHES) {
    return `invalid glob ${shown}: ${shape.wildcards + shape.groups} wildcards and {…}/(…) groups, at most ${MAX_GLOB_BRANCHES} are allowed per glob; split it into several globs`;
  }
  try {
    picomatch.makeRe(glob, { strictBrackets: true, dot: true, bash: true });
    return undefined;
  } catch (error) {
    return `invalid glob ${shown}: ${(error as Error).message}`;
  }
}

/** Counts the constructs that make picomatch's regex backtrack (escapes and […] skipped). */
function globShape(glob: string): { wildcards: number; groups: number; extglob?: string } {
  let wildcards = 0;
  let groups = 0;
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    const next = glob[index + 1];
    if (char === "\\") {
      index++;
    } else if (char === "[") {
      const close = glob.indexOf("]", index + 2);
      if (close !== -1) index = close;
    } else if ("+*?!@".includes(char) && next === "(") {
      if (char !== "@") return { wildcards, groups, extglob: char };
      groups++;
      index++;
    } else if (char === "*") {
      wildcards++;
      while (glob[index + 1] === "*") index++;
    } else if (char === "{" || char === "(") {
      groups++;
    }
  }
  return { wildcards, groups };
}

/** Something worth telling at start-up that does not stop it. */
export interface AlertsConfigWarning {
  /** Path from the config root, e.g. ["alerts", "receivers", 0, "slack", "token"]. */
  readonly path: readonly (string | number)[];
  readonly kind: "inline_secret" | "plain_http" | "smtp_without_tls";
  /** Never contains the value itself. */
  readonly message: string;
}

/** Header names whose values are credentials (other webhook headers are not flagged inline). */
const CREDENTIAL_HEADER = /auth|token|key|secret|passw|cookie|signature|credential|session/i;

/**
 * Warnings about the `alerts` section: secrets written inline instead of `${VAR}` references
 * (`isFromEnvironment(path)` says which values came from the environment), webhook, Slack and
 * retrain URLs over plain http:// to a non-loopback host, and SMTP without TLS to one.
 */
export function alertsConfigWarnings(
  alerts: AlertsConfig,
  isFromEnvironment: (path: readonly (string | number)[]) => boolean,
): AlertsConfigWarning[] {
  const warnings: AlertsConfigWarning[] = [];
  for (const path of secretPaths(alerts, AlertsSchema, ["alerts"])) {
    const key = path[path.length - 1];
    const isHeader = path[path.length - 2] === "headers";
    if (isHeader && !CREDENTIAL_HEADER.test(String(key))) continue;
    if (isFromEnvironment(path)) continue;
    const owner = [...path.slice(0, -1)].reverse().find((segment) => typeof segment === "string");
    const variable = (isHeader || owner === undefined ? [key] : [owner, key])
      .map((segment) =>
        String(segment)
          .replace(/[^A-Za-z0-9]+/g, "_")
          .toUpperCase(),
      )
      .join("_");
    warnings.push({
      path,
      kind: "inline_secret",
      message: `is a secret written inline in the config file; reference an environment variable instead, e.g. "\${${variable}}"`,
    });
  }

  const urls: [readonly (string | number)[], string | undefined][] = [
    [["alerts", "slackApiUrl"], alerts.slackApiUrl],
  ];
  alerts.receivers.forEach((receiver, index) => {
    urls.push([["alerts", "receivers", index, "webhook", "url"], receiver.webhook?.url]);
    urls.push([["alerts", "receivers", index, "slack", "webhookUrl"], receiver.slack?.webhookUrl]);
  });
  alerts.retrain.actions.forEach((action, index) => {
    for (const preset of RETRAIN_PRESETS) {
      urls.push([["alerts", "retrain", "actions", index, preset, "url"], action[preset]?.url]);
    }
  });
  for (const [path, url] of urls) {
    if (url !== undefined && isPlainHttpToRemote(url)) {
      warnings.push({
        path,
        kind: "plain_http",
        message:
          "uses plain http:// to a non-loopback host: payloads, signatures and credentials travel unencrypted; use https://",
      });
    }
  }

  const smtps: [readonly (string | number)[], SmtpConfig | undefined][] = [
    [["alerts", "smtp"], alerts.smtp],
  ];
  alerts.receivers.forEach((receiver, index) =>
    smtps.push([["alerts", "receivers", index, "email", "smtp"], receiver.email?.smtp]),
  );
  for (const [path, smtp] of smtps) {
    if (smtp === undefined || smtp.secure || resolveRequireTLS(smtp)) continue;
    if (isLoopbackHost(smtp.host)) continue;
    warnings.push({
      path: [...path, "requireTLS"],
      kind: "smtp_without_tls",
      message: `is false for a non-loopback SMTP host: mail${smtp.password !== undefined ? " and the SMTP password" : ""} may be sent unencrypted`,
    });
  }
  return warnings;
}

function isPlainHttpToRemote(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return url.protocol === "http:" && !isLoopbackHost(url.hostname);
}

interface SchemaShape {
  readonly items?: TSchema;
  readonly properties?: Readonly<Record<string, TSchema>>;
  readonly patternProperties?: Readonly<Record<string, TSchema>>;
  readonly additionalProperties?: unknown;
  readonly anyOf?: readonly TSchema[];
  readonly oneOf?: readonly TSchema[];
  readonly allOf?: readonly TSchema[];
}

/** Paths of the non-empty string values whose schema is marked secret. */
function secretPaths(
  value: unknown,
  schema: TSchema | undefined,
  path: readonly (string | number)[],
): (readonly (string | number)[])[] {
  if (value === undefined || value === null || schema === undefined) return [];
  if (isSecretSchema(schema)) return typeof value === "string" && value !== "" ? [path] : [];
  const shape = schema as SchemaShape;
  const branches = [...(shape.anyOf ?? []), ...(shape.oneOf ?? []), ...(shape.allOf ?? [])];
  const found = branches.flatMap((branch) => secretPaths(value, branch, path));
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) =>
      found.push(...secretPaths(item, shape.items, [...path, index])),
    );
  } else if (typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const child =
        shape.properties?.[key] ??
        Object.values(shape.patternProperties ?? {})[0] ??
        (typeof shape.additionalProperties === "object"
          ? (shape.additionalProperties as TSchema)
          : undefined);
      found.push(...secretPaths(item, child, [...path, key]));
    }
  }
  const unique = new Map(found.map((entry) => [JSON.stringify(entry), entry]));
  return [...unique.values()];
}
