// The pure state machine: every transition from explicit times and windows, no timers.
import { describe, expect, it } from "vitest";
import { compileRules, type CompiledRule } from "../../../alerts/engine/compiled-rule.js";
import { evaluate, type WindowObservations } from "../../../alerts/engine/evaluate.js";
import { selectObservations } from "../../../alerts/engine/select.js";
import type { AlertState } from "../../../alerts/model/alert.js";
import type { Observation } from "../../../alerts/model/observation.js";
import { MINUTE, T0 } from "../../support/clock.js";
import { alertsConfig } from "../../support/config.js";
import { batch, psi } from "./helpers.js";

function rule(fields: Record<string, unknown>): CompiledRule {
  return compileRules(
    alertsConfig({ rules: [{ name: "r", result: "drift", metric: "psi", ...fields }] }),
  )[0]!;
}

/** Run the windows through evaluate, as the engine does; returns states and transitions. */
function run(compiled: CompiledRule, windows: (Observation[] | "clear")[], start = 0) {
  let state: AlertState | undefined;
  const transitions: (string | undefined)[] = [];
  const states: (AlertState | undefined)[] = [];
  windows.forEach((observations, offset) => {
    const index = start + offset;
    const now = T0 + (index + 1) * 5 * MINUTE + 1000;
    const selected = selectObservations(
      compiled,
      batch("credit", index, observations === "clear" ? [] : observations),
    );
    const found = selected.observations[0];
    const input: WindowObservations = {
      labels: found?.labels ?? state!.labels,
      fingerprint: found?.fingerprint ?? state!.fingerprint,
      windowStart: T0 + index * 5 * MINUTE,
      windowEnd: T0 + (index + 1) * 5 * MINUTE,
      observations: found !== undefined ? [found] : [],
    };
    if (state === undefined && found === undefined) {
      transitions.push(undefined);
      states.push(undefined);
      return;
    }
    const result = evaluate(compiled, state, input, now);
    state = result.state;
    transitions.push(result.transition);
    states.push(state);
  });
  return { state, transitions, states };
}

const high = [psi("income", 0.31)];
const low = [psi("income", 0.05)];

describe("evaluate (alert state machine)", () => {
  it("goes pending, then firing after `for` consecutive breaching windows", () => {
    const { transitions, states } = run(rule({ threshold: 0.2, for: 3 }), [high, high, high, high]);
    expect(transitions).toEqual(["pending", undefined, "firing", undefined]);
    expect(states.map((state) => state?.state)).toEqual(["pending", "pending", "firing", "firing"]);
    const fired = states[2]!;
    expect(fired.activeAt).toBe(T0 + 5 * MINUTE + 1000);
    expect(fired.firedAt).toBe(T0 + 15 * MINUTE + 1000);
    expect(fired.breachingWindows).toBe(3);
    expect(fired.value).toBe(0.31);
    expect(fired.threshold).toBe(0.2);
    expect(fired.labels).toMatchObject({
      alertname: "r",
      model: "credit",
      feature: "income",
      scope: "feature",
      severity: "warning",
    });
  });

  it("fires on the first breaching window with for: 1", () => {
    expect(run(rule({ threshold: 0.2 }), [high]).transitions).toEqual(["firing"]);
  });

  it("a flapping value never fires while it does not breach `for` windows in a row", () => {
    const { transitions, state } = run(rule({ threshold: 0.2, for: 2 }), [
      high,
      low,
      high,
      low,
      high,
      low,
    ]);
    expect(transitions).toEqual([
      "pending",
      "inactive",
      "pending",
      "inactive",
      "pending",
      "inactive",
    ]);
    expect(state!.state).toBe("inactive");
    expect(state!.firedAt).toBeUndefined();
  });

  it("resolves on the first clear window, or after keepFiringFor clear windows", () => {
    expect(run(rule({ threshold: 0.2 }), [high, low]).transitions).toEqual(["firing", "resolved"]);
    const kept = run(rule({ threshold: 0.2, keepFiringFor: 2 }), [
      high,
      low,
      low,
      high,
      low,
      low,
      low,
    ]);
    expect(kept.transitions).toEqual([
      "firing",
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      "resolved",
    ]);
    expect(kept.states[1]!.keepFiringSince).toBe(T0 + 10 * MINUTE + 1000);
    expect(kept.states[3]!.keepFiringSince).toBeUndefined();
    expect(kept.states[6]!.resolvedAt).toBe(T0 + 35 * MINUTE + 1000);
  });

  it("an absent label set counts as a clear window", () => {
    expect(run(rule({ threshold: 0.2 }), [high, "clear"]).transitions).toEqual([
      "firing",
      "resolved",
    ]);
  });

  it("a window already counted (re-delivered batch) changes nothing", () => {
    const compiled = rule({ threshold: 0.2, for: 2 });
    const first = run(compiled, [high]).state!;
    const selected = selectObservations(compiled, batch("credit", 0, high)).observations[0]!;
    const again = evaluate(
      compiled,
      first,
      {
        labels: selected.labels,
        fingerprint: selected.fingerprint,
        windowStart: T0,
        windowEnd: T0 + 5 * MINUTE,
        observations: [selected],
      },
      T0 + 20 * MINUTE,
    );
    expect(again.state).toBe(first);
    expect(again.transition).toBeUndefined();
  });

  it("a new breach after a resolve starts a new episode", () => {
    const { states, transitions } = run(rule({ threshold: 0.2 }), [high, low, high]);
    expect(transitions).toEqual(["firing", "resolved", "firing"]);
    expect(states[2]!.activeAt).toBe(T0 + 15 * MINUTE + 1000);
    expect(states[2]!.resolvedAt).toBeUndefined();
  });

  it("without a threshold uses the detector's verdict; NaN never breaches", () => {
    const verdict = rule({});
    expect(
      run(verdict, [[{ kind: "drift", metric: "psi", feature: "a", value: 0.01, drifted: true }]])
        .transitions,
    ).toEqual(["firing"]);
    expect(
      run(verdict, [[{ kind: "drift", metric: "psi", feature: "a", value: 0.9, drifted: false }]])
        .transitions,
    ).toEqual([undefined]);
    const numeric = rule({ threshold: 0.2 });
    expect(
      run(numeric, [[{ kind: "drift", metric: "psi", feature: "a", value: Number.NaN }]])
        .transitions,
    ).toEqual([undefined]);
  });

  it("p-values compare downwards when the rule says so", () => {
    const pValue = compileRules(
      alertsConfig({
        rules: [{ name: "ks", result: "drift", metric: "ks_p_value", op: "<", threshold: 0.05 }],
      }),
    )[0]!;
    const selected = selectObservations(
      pValue,
      batch("credit", 0, [
        { kind: "drift", metric: "ks_p_value", feature: "a", value: 0.001 },
        { kind: "drift", metric: "ks_p_value", feature: "b", value: 0.4 },
        { kind: "drift", metric: "psi", feature: "c", value: 0.001 },
      ]),
    );
    const results = selected.observations.map(
      (observation) =>
        evaluate(
          pValue,
          undefined,
          { ...observation, windowStart: T0, windowEnd: T0 + 1, observations: [observation] },
          T0,
        ).transition,
    );
    expect(selected.observations.map((observation) => observation.feature)).toEqual(["a", "b"]);
    expect(results).toEqual(["firing", undefined]);
  });

  it("derives performance decay, in the metric's direction, absolute or relative", () => {
    const config = alertsConfig({
      rules: [
        { name: "abs", result: "performance_decay", metric: "*", threshold: 0.05 },
        {
          name: "rel",
          result: "performance_decay",
          metric: "accuracy",
          threshold: 0.1,
          relative: true,
        },
      ],
    });
    const [absolute, relative] = compileRules(config);
    const observations: Observation[] = [
      { kind: "performance", metric: "accuracy", value: 0.82, referenceValue: 0.9 },
      { kind: "performance", metric: "mae", value: 10.5, referenceValue: 10 },
    ];
    const values = selectObservations(absolute!, batch("credit", 0, observations)).observations.map(
      (item) => [item.metric, Number(item.value.toFixed(6))],
    );
    expect(values).toEqual([
      ["accuracy", 0.08],
      ["mae", 0.5],
    ]);
    const rel = selectObservations(relative!, batch("credit", 0, observations)).observations;
    expect(rel.map((item) => Number(item.value.toFixed(6)))).toEqual([0.088889]);
  });

  it("expands annotation placeholders", () => {
    const compiled = rule({
      threshold: 0.2,
      annotations: {
        summary: "{{metric}} of {{feature}} on {{model}} is {{value}} > {{threshold}}",
      },
    });
    const { state } = run(compiled, [high]);
    expect(state!.annotations.summary).toBe("psi of income on credit is 0.31 > 0.2");
  });
});
