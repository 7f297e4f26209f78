// The estimated-performance vocabulary: estimated_<metric> names derived from the realized ones
// (higher is better for all five), the `performance_estimated` result kind, an estimate as typed
// results and alert observations (the band's verdict, the crossed threshold), the status reason,
// and a rule of that kind without a threshold firing on the verdict.
import { describe, expect, it } from "vitest";
import { compileRules } from "../../../alerts/engine/compiled-rule.js";
import { isBreaching } from "../../../alerts/engine/condition.js";
import { selectObservations } from "../../../alerts/engine/select.js";
import {
  ESTIMABLE_METRICS,
  ESTIMATED_METRIC_NAMES,
  NO_ESTIMATE,
  OBSERVATION_KINDS,
  PERFORMANCE_METRIC,
  RESULT_KINDS,
  VOCABULARY_NAMES,
  estimateReason,
  estimatedMetric,
  estimatedPerformanceResults,
  higherIsBetter,
  isEstimateReason,
  realizedMetricOf,
  toObservations,
  type EstimatedPerformanceResult,
  type PerformanceEstimate,
} from "../../../detectors/index.js";
import { performanceResultRow } from "../../../src/monitor/result-rows.js";
import { alertsConfig } from "../../support/config.js";

const figure = (value: number | null, lower: number | null, upper: number | null) => ({
  value,
  lower: value === null ? null : value - 0.02,
  upper: value === null ? null : value + 0.02,
  threshold_lower: lower,
  threshold_upper: upper,
  alert: value !== null && ((lower !== null && value < lower) || (upper !== null && value > upper)),
});

const estimate: PerformanceEstimate = {
  estimated: {
    roc_auc: figure(0.95, 0.8, 0.9),
    accuracy: figure(0.71, 0.78, 0.86),
    precision: figure(null, 0.7, 0.9),
    recall: figure(0.8, 0.7, 0.9),
    f1: figure(0.8, null, null),
  },
};

describe("estimated metric names", () => {
  it("are the realized names under a prefix, in the vocabulary, higher is better", () => {
    expect(ESTIMABLE_METRICS).toEqual([
      PERFORMANCE_METRIC.rocAuc,
      PERFORMANCE_METRIC.accuracy,
      PERFORMANCE_METRIC.precision,
      PERFORMANCE_METRIC.recall,
      PERFORMANCE_METRIC.f1,
    ]);
    expect(ESTIMATED_METRIC_NAMES).toEqual([
      "estimated_roc_auc",
      "estimated_accuracy",
      "estimated_precision",
      "estimated_recall",
      "estimated_f1",
    ]);
    for (const [index, name] of ESTIMATED_METRIC_NAMES.entries()) {
      expect(VOCABULARY_NAMES.has(name), name).toBe(true);
      expect(higherIsBetter(name), name).toBe(true);
      expect(realizedMetricOf(name)).toBe(ESTIMABLE_METRICS[index]);
      expect(estimatedMetric(ESTIMABLE_METRICS[index]!)).toBe(name);
    }
    expect(realizedMetricOf(PERFORMANCE_METRIC.accuracy)).toBeUndefined();
    expect(realizedMetricOf("estimated_mae")).toBeUndefined();
    expect(higherIsBetter(PERFORMANCE_METRIC.mae)).toBe(false);
  });

  it("add the performance_estimated kind to observations and rules", () => {
    expect(OBSERVATION_KINDS).toContain("performance_estimated");
    expect(RESULT_KINDS).toContain("performance_estimated");
  });
});

describe("an estimate as results", () => {
  const results = estimatedPerformanceResults(estimate, { accuracy: 0.82, roc_auc: 0.85 }, 0);

  it("has one result per estimated value, with bands, thresholds and the verdict", () => {
    expect(results.map((result) => result.metric)).toEqual([
      "estimated_roc_auc",
      "estimated_accuracy",
      "estimated_recall",
      "estimated_f1",
    ]);
    const accuracy = results[1]!;
    expect(accuracy).toEqual({
      kind: "performance_estimated",
      metric: "estimated_accuracy",
      value: 0.71,
      lower: 0.69,
      upper: 0.73,
      thresholdLower: 0.78,
      thresholdUpper: 0.86,
      alert: true,
      referenceValue: 0.82,
      nLabelled: 0,
    });
    expect(results[2]!.referenceValue).toBeNull();
  });

  it("observes the verdict and the threshold crossed (upper when above)", () => {
    const observations = toObservations(results);
    expect(observations.map((o) => [o.metric, o.threshold, o.drifted, o.referenceValue])).toEqual([
      ["estimated_roc_auc", 0.9, true, 0.85],
      ["estimated_accuracy", 0.78, true, 0.82],
      ["estimated_recall", 0.7, false, undefined],
      ["estimated_f1", undefined, false, undefined],
    ]);
    expect(observations.every((o) => o.kind === "performance_estimated")).toBe(true);
  });

  it("stores bands in the estimate's row and NaN in a realized row", () => {
    const row = performanceResultRow(results[1]!);
    expect(row).toMatchObject({
      metric: "estimated_accuracy",
      bandLower: 0.69,
      bandUpper: 0.73,
      thresholdLower: 0.78,
      thresholdUpper: 0.86,
      alert: true,
      nLabelled: 0,
    });
    expect(row.pValue).toBeNaN();
    const realized = performanceResultRow({
      kind: "performance",
      metric: PERFORMANCE_METRIC.accuracy,
      value: 0.7,
      referenceValue: 0.8,
      nLabelled: 100,
      pValue: 0.01,
      degraded: true,
    });
    expect([realized.bandLower, realized.thresholdUpper]).toEqual([Number.NaN, Number.NaN]);
    expect(realized.alert).toBe(false);
  });

  it("gives a reason below the band only, saying estimated and whether labels are in", () => {
    const [rocAuc, accuracy, recall] = results as [
      EstimatedPerformanceResult,
      EstimatedPerformanceResult,
      EstimatedPerformanceResult,
    ];
    expect(estimateReason(accuracy)).toBe(
      "estimated accuracy 0.710 below its reference band [0.780, 0.860] (labels not yet in)",
    );
    expect(estimateReason({ ...accuracy, nLabelled: 12 })).toBe(
      "estimated accuracy 0.710 below its reference band [0.780, 0.860] (12 labelled rows so far)",
    );
    expect(estimateReason(rocAuc)).toBeUndefined(); // above the band: alerts, degrades nothing
    expect(estimateReason(recall)).toBeUndefined();
    expect(isEstimateReason(estimateReason(accuracy)!)).toBe(true);
    expect(isEstimateReason(`${NO_ESTIMATE}the window has no predictions`)).toBe(true);
    expect(isEstimateReason("accuracy 0.700 vs reference 0.800 (p=1.00e-2, n=100)")).toBe(false);
  });

  it("fires a performance_estimated rule without a threshold on the verdict", () => {
    const [rule] = compileRules(
      alertsConfig({
        rules: [{ name: "est", result: "performance_estimated", metric: "estimated_*" }],
      }),
    );
    const selection = selectObservations(rule!, {
      model: "m",
      windowStart: 0,
      windowEnd: 3_600_000,
      observations: toObservations(results),
    });
    expect(selection.covered).toBe(true);
    expect(
      selection.observations.map((observation) => [
        observation.metric,
        observation.labels.kind,
        isBreaching(rule!, observation),
      ]),
    ).toEqual([
      ["estimated_roc_auc", "performance_estimated", true],
      ["estimated_accuracy", "performance_estimated", true],
      ["estimated_recall", "performance_estimated", false],
      ["estimated_f1", "performance_estimated", false],
    ]);
    // With a threshold, one-sided: estimated accuracy below 0.75.
    const [below] = compileRules(
      alertsConfig({
        rules: [
          {
            name: "below",
            result: "performance_estimated",
            metric: "estimated_accuracy",
            op: "<",
            threshold: 0.75,
          },
        ],
      }),
    );
    const chosen = selectObservations(below!, {
      model: "m",
      windowStart: 0,
      windowEnd: 1,
      observations: toObservations(results),
    });
    expect(chosen.observations.map((o) => isBreaching(below!, o))).toEqual([true]);
  });
});
