// Reading a binary model's predictions as scores for performance estimation in the service: the
// reference's labelled rows calibrate (fitted once per profile's labelled rows, refitted when
// they change), windows are estimated from their scores, and every case without an estimate says
// why (multiclass, predictions that are not scores, too few labelled reference rows).
import { describe, expect, it } from "vitest";
import type { ModelConfig } from "../../../src/config/index.js";
import { parseConfig } from "../../../src/config/index.js";
import {
  cachedReferenceFit,
  estimateWindow,
  fitReference,
  scoreOf,
} from "../../../src/monitor/performance-estimation.js";
import type { LabelledRow } from "../../../src/monitor/performance-evaluation.js";

function model(yaml = ""): ModelConfig {
  const config = parseConfig(`models:\n  - name: m\n    minRows: 50\n${yaml}`, { env: {} });
  return config.models[0]!;
}

/** A deterministic generator in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Rows with exact probabilities: score p, label drawn from p (numeric label 1/0). */
function labelledRows(count: number, spread: number, seed: number): LabelledRow[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const z = Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
    const p = 1 / (1 + Math.exp(-2 * spread * z));
    const label = next() < p ? 1 : 0;
    return {
      prediction: String(p),
      prediction_value: p,
      y_label: String(label),
      y_label_value: label,
    };
  });
}

describe("score reading", () => {
  it("reads a numeric prediction in [0, 1] as the positive-class probability", () => {
    expect(scoreOf({ prediction_value: 0.83 })).toBe(0.83);
    expect(scoreOf({ prediction_value: 0 })).toBe(0);
    expect(scoreOf({ prediction_value: 1 })).toBe(1);
    expect(scoreOf({ prediction_value: 1.5 })).toBeUndefined();
    expect(scoreOf({ prediction_value: -0.1 })).toBeUndefined();
    expect(scoreOf({ prediction_value: null })).toBeUndefined();
  });

  it("says why a reference gives no estimate", () => {
    const rows = labelledRows(200, 1, 1);
    expect(fitReference(model("    task: multiclass\n"), rows)).toEqual({
      reason:
        "no performance estimate: not available for multiclass models (events carry one prediction, not a score per class)",
    });
    const labels = rows.map((row) => ({ ...row, prediction: "yes", prediction_value: null }));
    expect(fitReference(model(), labels)).toEqual({
      reason:
        "no performance estimate: 200 of the reference's 200 labelled predictions are not scores in [0, 1]",
    });
    expect(fitReference(model(), rows.slice(0, 20))).toEqual({
      reason:
        "no performance estimate: the reference has 20 labelled rows with a score (fewer than minRows 50)",
    });
    // Text labels against the default positive label 1 (a number): the library says why.
    const textLabels = rows.map((row) => ({
      ...row,
      y_label: row.y_label === "1" ? "yes" : "no",
      y_label_value: null,
    }));
    const mismatch = fitReference(model(), textLabels);
    expect("reason" in mismatch ? mismatch.reason : "").toMatch(
      /^no performance estimate: reference\.labels\[0\]: label "(yes|no)" is a string/,
    );
    expect("estimator" in fitReference(model('    positiveLabel: "yes"\n'), textLabels)).toBe(true);
    // Rows without a prediction are left out, as accuracy decay leaves them out.
    const withGaps = [...rows, { ...rows[0]!, prediction: null, prediction_value: null }];
    const fit = fitReference(model(), withGaps);
    expect("estimator" in fit && fit.rows).toBe(200);
  });

  it("fits once per profile's labelled rows and settings, again when they change", () => {
    const rows = labelledRows(300, 1, 2);
    const binary = model();
    const first = cachedReferenceFit(binary, rows);
    expect(cachedReferenceFit(binary, rows)).toBe(first);
    expect(cachedReferenceFit(model("    threshold: 0.7\n"), rows)).not.toBe(first);
    // Late labels reach the reference: the profile holds a new array of labelled rows.
    expect(cachedReferenceFit(binary, [...rows])).not.toBe(first);
  });

  it("estimates a window from its scores, and says why not when it cannot", () => {
    const fit = fitReference(model(), labelledRows(4000, 1.5, 3));
    const window = labelledRows(1000, 0.3, 4);
    const scores = Float64Array.from(window, (row) => row.prediction_value!);
    const outcome = estimateWindow(fit, { scores, notScores: 0 }, 0);
    expect(outcome.rows).toBe(1000);
    const accuracy = outcome.results.find((result) => result.metric === "estimated_accuracy")!;
    const realized =
      window.filter((row) => (row.prediction_value! >= 0.5 ? 1 : 0) === row.y_label_value).length /
      1000;
    expect(realized).toBeGreaterThanOrEqual(accuracy.lower!);
    expect(realized).toBeLessThanOrEqual(accuracy.upper!);
    expect(accuracy.alert).toBe(true);
    expect(accuracy.referenceValue).toBeGreaterThan(accuracy.thresholdLower!);
    expect(outcome.reasons).toContain(
      `estimated accuracy ${accuracy.value.toFixed(3)} below its reference band [${accuracy.thresholdLower!.toFixed(3)}, ${accuracy.thresholdUpper!.toFixed(3)}] (labels not yet in)`,
    );

    expect(estimateWindow(fit, { scores, notScores: 3 }, 0)).toEqual({
      results: [],
      reasons: [
        "no performance estimate: 3 of the window's 1003 predictions are not scores in [0, 1]",
      ],
      rows: 0,
    });
    expect(estimateWindow(fit, { scores: new Float64Array(0), notScores: 0 }, 0).reasons).toEqual([
      "no performance estimate: the window has no predictions",
    ]);
    expect(
      estimateWindow({ reason: "no performance estimate: x" }, { scores, notScores: 0 }, 0),
    ).toEqual({ results: [], reasons: ["no performance estimate: x"], rows: 0 });
  });
});
