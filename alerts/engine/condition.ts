// The comparison of a rule: value <op> threshold, or the detector's own verdict when the rule
// names no threshold. A value that is not a finite number never breaches.
import type { Comparison } from "../../src/config/index.js";
import type { CompiledRule } from "./compiled-rule.js";
import type { RuleObservation } from "./select.js";

export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
    case "==":
      return value === threshold;
    case "!=":
      return value !== threshold;
  }
}

/** The threshold shown next to the value (NaN when only the detector's verdict is known). */
export function effectiveThreshold(rule: CompiledRule, observation: RuleObservation): number {
  return rule.threshold ?? observation.threshold ?? Number.NaN;
}

export function isBreaching(rule: CompiledRule, observation: RuleObservation): boolean {
  if (!Number.isFinite(observation.value)) return false;
  if (rule.threshold !== undefined) return compare(observation.value, rule.op, rule.threshold);
  if (observation.drifted !== undefined) return observation.drifted;
  if (observation.threshold !== undefined && Number.isFinite(observation.threshold)) {
    return compare(observation.value, rule.op, observation.threshold);
  }
  return false;
}
