// Rules ready to evaluate: globs compiled, receivers resolved against the default route, group
// settings merged and durations turned into milliseconds. Globs match names as plain text: `*`
// also spans "/" (feature names are free text, not paths).
import picomatch from "picomatch";
import {
  parseDuration,
  type Comparison,
  type RuleConfig,
  type Severity,
  type AlertsConfig,
  selfMonitoringRules,
} from "../../src/config/index.js";
import type { ResultKind } from "../model/observation.js";

export interface GroupSettings {
  readonly groupBy: readonly string[];
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
}

export interface CompiledRule {
  readonly name: string;
  readonly result: ResultKind;
  readonly op: Comparison;
  readonly threshold?: number;
  readonly relative: boolean;
  /** Consecutive breaching windows before firing (≥ 1). */
  readonly forWindows: number;
  /** Clear windows an alert keeps firing for before it resolves (≥ 0). */
  readonly keepFiringForWindows: number;
  readonly severity: Severity;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly receivers: readonly string[];
  readonly retrain: readonly string[];
  readonly group: GroupSettings;
  matchesModel(model: string): boolean;
  matchesFeature(feature: string): boolean;
  matchesMetric(metric: string): boolean;
}

/** Compile every rule of a validated config, the built-in self-monitoring rules included. */
export function compileRules(alerts: AlertsConfig): CompiledRule[] {
  return [...alerts.rules, ...selfMonitoringRules(alerts.selfMonitoring, alerts.rules)].map(
    (rule) => compileRule(rule, alerts),
  );
}

export function compileRule(rule: RuleConfig, alerts: AlertsConfig): CompiledRule {
  const glob = (patterns: readonly string[]) => picomatch([...patterns], { dot: true, bash: true });
  const modelMatch = glob(rule.models);
  const featureMatch = glob(rule.features);
  const metricMatch = glob([rule.metric]);
  const route = alerts.route;
  const override = rule.group ?? {};
  const annotations: Record<string, string> = {};
  for (const [name, value] of Object.entries(rule.annotations)) {
    if (typeof value === "string") annotations[name] = value;
  }
  return {
    name: rule.name,
    result: rule.result,
    op: rule.op,
    ...(rule.threshold !== undefined ? { threshold: rule.threshold } : {}),
    relative: rule.relative,
    forWindows: rule.for,
    keepFiringForWindows: rule.keepFiringFor,
    severity: rule.severity,
    labels: { ...rule.labels },
    annotations,
    receivers: rule.receivers ?? route.receivers,
    retrain: rule.retrain,
    group: {
      groupBy: override.groupBy ?? route.groupBy,
      groupWaitMs: parseDuration(override.groupWait ?? route.groupWait),
      groupIntervalMs: parseDuration(override.groupInterval ?? route.groupInterval),
      repeatIntervalMs: parseDuration(override.repeatInterval ?? route.repeatInterval),
    },
    matchesModel: (model) => modelMatch(model),
    matchesFeature: (feature) => featureMatch(feature),
    matchesMetric: (metric) => metricMatch(metric),
  };
}
