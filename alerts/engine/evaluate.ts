// The alert state machine, pure: evaluate(rule, state, observations, now) derives every
// transition of one (rule, label set) — inactive → pending → firing → resolved — from the
// observations of one window and the time it is given. It never reads the clock.
import type { CompiledRule } from "./compiled-rule.js";
import { effectiveThreshold, isBreaching } from "./condition.js";
import type { RuleObservation } from "./select.js";
import type { AlertState, AlertTransition } from "../model/alert.js";
import type { Labels } from "../model/labels.js";
import { expandPlaceholders, templateVariables } from "../templates/format.js";

/** What one window says about one label set. */
export interface WindowObservations {
  readonly labels: Labels;
  readonly fingerprint: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly modelVersion?: string;
  /** Empty when the label set is absent from a window that covered the rule: a clear window. */
  readonly observations: readonly RuleObservation[];
  /** Model-level alerts: the features that drifted in this window. */
  readonly features?: readonly string[];
}

export interface Evaluation {
  /** The new state; undefined when nothing is tracked (never breached). */
  readonly state: AlertState | undefined;
  /** Set when the state changed. */
  readonly transition?: AlertTransition;
}

export function evaluate(
  rule: CompiledRule,
  previous: AlertState | undefined,
  observations: WindowObservations,
  now: number,
): Evaluation {
  // A window already counted (a re-delivered batch, a second evaluator after fail-over) changes nothing.
  if (previous?.lastWindowEnd !== undefined && observations.windowEnd <= previous.lastWindowEnd) {
    return { state: previous };
  }
  const observation = observations.observations[observations.observations.length - 1];
  const breaching = observation !== undefined && isBreaching(rule, observation);
  const current = previous?.state ?? "inactive";

  if (current === "inactive" || current === "resolved") {
    if (!breaching) return { state: previous };
    const fires = rule.forWindows <= 1;
    const base: AlertState = {
      rule: rule.name,
      fingerprint: observations.fingerprint,
      labels: observations.labels,
      state: fires ? "firing" : "pending",
      activeAt: now,
      ...(fires ? { firedAt: now } : {}),
      breachingWindows: 1,
      clearWindows: 0,
      value: Number.NaN,
      threshold: Number.NaN,
      annotations: {},
      features: [],
      updatedAt: now,
    };
    return {
      state: withObservation(rule, base, observations, observation),
      transition: base.state as AlertTransition,
    };
  }

  const counted = { ...previous!, lastWindowEnd: observations.windowEnd, updatedAt: now };
  if (current === "pending") {
    if (!breaching) {
      return {
        state: {
          ...stripEpisode(counted),
          state: "inactive",
          breachingWindows: 0,
          clearWindows: 0,
        },
        transition: "inactive",
      };
    }
    const breachingWindows = previous!.breachingWindows + 1;
    const fires = breachingWindows >= rule.forWindows;
    const next: AlertState = {
      ...counted,
      breachingWindows,
      state: fires ? "firing" : "pending",
      ...(fires ? { firedAt: now } : {}),
    };
    return {
      state: withObservation(rule, next, observations, observation),
      ...(fires ? { transition: "firing" as const } : {}),
    };
  }

  // firing
  if (breaching) {
    const next: AlertState = {
      ...counted,
      breachingWindows: previous!.breachingWindows + 1,
      clearWindows: 0,
      keepFiringSince: undefined,
    };
    return { state: withObservation(rule, next, observations, observation) };
  }
  const clearWindows = previous!.clearWindows + 1;
  if (clearWindows <= rule.keepFiringForWindows) {
    const next: AlertState = {
      ...counted,
      clearWindows,
      keepFiringSince: previous!.keepFiringSince ?? now,
    };
    return { state: observation !== undefined ? withValue(next, rule, observation) : next };
  }
  const resolved: AlertState = {
    ...counted,
    state: "resolved",
    resolvedAt: now,
    breachingWindows: 0,
    clearWindows: 0,
    keepFiringSince: undefined,
  };
  return {
    state: observation !== undefined ? withValue(resolved, rule, observation) : resolved,
    transition: "resolved",
  };
}

/** Record the window's observation: value, threshold, window, version, expanded annotations. */
function withObservation(
  rule: CompiledRule,
  state: AlertState,
  observations: WindowObservations,
  observation: RuleObservation | undefined,
): AlertState {
  const next: AlertState = {
    ...state,
    lastWindowEnd: observations.windowEnd,
    windowStart: observations.windowStart,
    windowEnd: observations.windowEnd,
    ...(observations.modelVersion !== undefined ? { modelVersion: observations.modelVersion } : {}),
    features: observations.features ?? state.features,
  };
  return observation !== undefined ? withValue(next, rule, observation) : next;
}

function withValue(
  state: AlertState,
  rule: CompiledRule,
  observation: RuleObservation,
): AlertState {
  const threshold = effectiveThreshold(rule, observation);
  if (Object.keys(rule.annotations).length === 0) {
    return { ...state, value: observation.value, threshold, annotations: {} };
  }
  const vars = templateVariables(
    state.labels,
    observation.value,
    threshold,
    state.windowStart,
    state.windowEnd,
  );
  const annotations: Record<string, string> = {};
  for (const [name, text] of Object.entries(rule.annotations)) {
    annotations[name] = expandPlaceholders(text, vars);
  }
  return { ...state, value: observation.value, threshold, annotations };
}

function stripEpisode(state: AlertState): AlertState {
  return {
    ...state,
    activeAt: undefined,
    firedAt: undefined,
    keepFiringSince: undefined,
  };
}
