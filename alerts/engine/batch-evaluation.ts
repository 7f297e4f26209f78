// One result batch through every rule: the observations each rule selects, the alerts of the
// rule and model the batch says nothing about (a clear window), and the state machine's verdict
// for each. Pure: the caller applies the evaluations to its state.
import type { AlertState } from "../model/alert.js";
import type { ResultBatch } from "../model/observation.js";
import type { AlertIndex } from "./alert-index.js";
import type { CompiledRule } from "./compiled-rule.js";
import { evaluate, type Evaluation } from "./evaluate.js";
import { selectObservations } from "./select.js";

export interface RuleEvaluation {
  readonly rule: CompiledRule;
  readonly previous: AlertState | undefined;
  readonly evaluation: Evaluation;
}

export function evaluateBatch(
  rules: readonly CompiledRule[],
  alerts: AlertIndex,
  batch: ResultBatch,
  now: number,
): RuleEvaluation[] {
  const results: RuleEvaluation[] = [];
  // Model-level alerts carry the features that drifted in the same window.
  const driftedFeatures = [
    ...new Set(
      batch.observations
        .filter(
          (item) => item.kind === "drift" && item.drifted === true && item.feature !== undefined,
        )
        .map((item) => item.feature!),
    ),
  ];
  const window = {
    windowStart: batch.windowStart,
    windowEnd: batch.windowEnd,
    ...(batch.modelVersion !== undefined ? { modelVersion: batch.modelVersion } : {}),
  };
  for (const rule of rules) {
    const selection = selectObservations(rule, batch);
    if (!selection.covered) continue;
    const seen = new Set<string>();
    for (const observation of selection.observations) {
      seen.add(observation.fingerprint);
      const previous = alerts.get(rule.name, observation.fingerprint);
      const input = {
        ...window,
        labels: observation.labels,
        fingerprint: observation.fingerprint,
        observations: [observation],
        ...(observation.feature === undefined ? { features: driftedFeatures } : {}),
      };
      results.push({ rule, previous, evaluation: evaluate(rule, previous, input, now) });
    }
    for (const previous of alerts.ofRuleAndModel(rule.name, batch.model)) {
      if (seen.has(previous.fingerprint)) continue;
      const input = {
        ...window,
        labels: previous.labels,
        fingerprint: previous.fingerprint,
        observations: [],
      };
      results.push({ rule, previous, evaluation: evaluate(rule, previous, input, now) });
    }
  }
  return results;
}
