// Pipeline stage "inhibit": a firing alert is muted while another firing alert matches an
// inhibition rule's source matchers, it matches the target matchers, and the `equal` labels agree.
// By default a model-level alert mutes the feature-level alerts of the same model.
import type { InhibitRuleConfig } from "../../src/config/index.js";
import type { AlertState } from "../model/alert.js";
import { matchesAll, parseMatcher, type Matcher } from "../../src/util/index.js";
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

/**
 * The firing alerts that can inhibit, indexed per rule by the values of its `equal` labels, so
 * checking a target is a lookup (built once per tick, not once per target).
 */
export class InhibitionIndex {
  private readonly bySource: Map<string, Set<string>>[];

  constructor(
    private readonly rules: readonly InhibitRule[],
    sources: Iterable<AlertState>,
  ) {
    this.bySource = rules.map(() => new Map());
    for (const source of sources) {
      if (source.state !== "firing") continue;
      rules.forEach((rule, index) => {
        if (!matchesAll(rule.source, source.labels)) return;
        const key = equalKey(rule, source);
        const fingerprints = this.bySource[index]!.get(key) ?? new Set<string>();
        fingerprints.add(source.fingerprint);
        this.bySource[index]!.set(key, fingerprints);
      });
    }
  }

  /** Whether a firing `alert` is muted by another firing alert. */
  isInhibited(alert: AlertState): boolean {
    if (alert.state !== "firing") return false;
    return this.rules.some((rule, index) => {
      if (!matchesAll(rule.target, alert.labels)) return false;
      const sources = this.bySource[index]!.get(equalKey(rule, alert));
      if (sources === undefined) return false;
      return sources.size > 1 || !sources.has(alert.fingerprint);
    });
  }
}

function equalKey(rule: InhibitRule, alert: AlertState): string {
  return JSON.stringify(rule.equal.map((name) => alert.labels[name] ?? ""));
}

export function inhibitStage(alerts: readonly AlertState[], index: InhibitionIndex): StageResult {
  const kept: AlertState[] = [];
  const muted: AlertState[] = [];
  for (const alert of alerts) (index.isInhibited(alert) ? muted : kept).push(alert);
  return { kept, muted };
}
