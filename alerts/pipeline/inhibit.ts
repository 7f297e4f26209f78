// Pipeline stage "inhibit": a firing alert is muted while another firing alert matches an
// inhibition rule's source matchers, it matches the target matchers, and the `equal` labels agree.
// By default a model-level alert mutes the feature-level alerts of the same model.
import type { InhibitRuleConfig } from "../config/route.js";
import type { AlertState } from "../model/alert.js";
import { matchesAll, parseMatcher, type Matcher } from "../silences/matchers.js";
import type { StageResult } from "./silence.js";

export interface InhibitRule {
  readonly source: readonly Matcher[];
  readonly target: readonly Matcher[];
  readonly equal: readonly string[];
}

export function compileInhibitRules(rules: readonly InhibitRuleConfig[]): InhibitRule[] {
  return rules.map((rule) => ({
    source: rule.sourceMatchers.map(parseMatcher),
    target: rule.targetMatchers.map(parseMatcher),
    equal: rule.equal,
  }));
}

/** Whether `alert` is muted by one of `sources` (firing alerts) under `rules`. */
export function isInhibited(
  alert: AlertState,
  sources: readonly AlertState[],
  rules: readonly InhibitRule[],
): boolean {
  if (alert.state !== "firing") return false;
  return rules.some(
    (rule) =>
      matchesAll(rule.target, alert.labels) &&
      sources.some(
        (source) =>
          source.state === "firing" &&
          source.fingerprint !== alert.fingerprint &&
          matchesAll(rule.source, source.labels) &&
          rule.equal.every((name) => (source.labels[name] ?? "") === (alert.labels[name] ?? "")),
      ),
  );
}

export function inhibitStage(
  alerts: readonly AlertState[],
  sources: readonly AlertState[],
  rules: readonly InhibitRule[],
): StageResult {
  const kept: AlertState[] = [];
  const muted: AlertState[] = [];
  for (const alert of alerts) (isInhibited(alert, sources, rules) ? muted : kept).push(alert);
  return { kept, muted };
}
