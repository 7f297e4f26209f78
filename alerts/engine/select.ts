// Which observations of a result batch a rule looks at, and the label set (alert identity) and
// value of each: globs on model, feature and metric; performance decay derived from the
// performance metric and its reference value.
import type { CompiledRule } from "./compiled-rule.js";
import { fingerprint, type Labels } from "../model/labels.js";
import { higherIsBetter } from "../../detectors/index.js";
import type { Observation, ObservationKind, ResultBatch } from "../model/observation.js";

/** An observation as one rule sees it. */
export interface RuleObservation {
  readonly labels: Labels;
  readonly fingerprint: string;
  readonly metric: string;
  readonly feature?: string;
  /** The value the rule compares (for performance_decay: the decay). */
  readonly value: number;
  /** The detector's threshold, when it sent one. */
  readonly threshold?: number;
  /** The detector's verdict, when it sent one. */
  readonly drifted?: boolean;
}

export interface RuleSelection {
  /**
   * Whether the batch carried results of the rule's kind for this model. Only then do alerts of
   * this rule and model that are absent from `observations` count as a clear window.
   */
  readonly covered: boolean;
  /** One entry per label set (a repeated label set keeps its last observation). */
  readonly observations: readonly RuleObservation[];
}

export function sourceKind(rule: CompiledRule): ObservationKind {
  return rule.result === "performance_decay" ? "performance" : rule.result;
}

export function selectObservations(rule: CompiledRule, batch: ResultBatch): RuleSelection {
  if (!rule.matchesModel(batch.model)) return { covered: false, observations: [] };
  const kind = sourceKind(rule);
  let covered = false;
  const byFingerprint = new Map<string, RuleObservation>();
  for (const observation of batch.observations) {
    if (observation.kind !== kind || !rule.matchesMetric(observation.metric)) continue;
    covered = true;
    if (observation.feature !== undefined && !rule.matchesFeature(observation.feature)) continue;
    const value = ruleValue(rule, observation);
    if (value === undefined) continue;
    const labels = alertLabels(rule, batch.model, observation);
    const id = fingerprint(labels);
    byFingerprint.set(id, {
      labels,
      fingerprint: id,
      metric: observation.metric,
      ...(observation.feature !== undefined ? { feature: observation.feature } : {}),
      value,
      ...(rule.result !== "performance_decay" && observation.threshold !== undefined
        ? { threshold: observation.threshold }
        : {}),
      ...(rule.result !== "performance_decay" && observation.drifted !== undefined
        ? { drifted: observation.drifted }
        : {}),
    });
  }
  return { covered, observations: [...byFingerprint.values()] };
}

/** The label set of the alert an observation raises under a rule. */
export function alertLabels(rule: CompiledRule, model: string, observation: Observation): Labels {
  const labels: Record<string, string> = {
    ...rule.labels,
    alertname: rule.name,
    model,
    kind: rule.result,
    metric: observation.metric,
    scope: observation.feature !== undefined ? "feature" : "model",
    severity: rule.severity,
  };
  if (observation.feature !== undefined) labels.feature = observation.feature;
  return labels;
}

function ruleValue(rule: CompiledRule, observation: Observation): number | undefined {
  if (rule.result !== "performance_decay") return observation.value;
  const reference = observation.referenceValue;
  if (reference === undefined || !Number.isFinite(reference)) return undefined;
  const decay = higherIsBetter(observation.metric)
    ? reference - observation.value
    : observation.value - reference;
  if (!rule.relative) return decay;
  return reference === 0 ? Number.NaN : decay / Math.abs(reference);
}
