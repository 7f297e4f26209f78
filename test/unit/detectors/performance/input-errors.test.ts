// Malformed input to the performance metrics is rejected with a PerformanceInputError that
// names the field (and row) and the reason, before any figure is computed.

import { describe, expect, it } from "vitest";

import {
  comparePerformance,
  computeWindowMetrics,
  PerformanceInputError,
} from "../../../../detectors/performance/index.js";
import type {
  BinaryWindow,
  ComparePerformanceOptions,
  PerformanceTask,
} from "../../../../detectors/performance/index.js";

const goodBinary: BinaryWindow = { y_true: [0, 1, 1, 0], scores: [0.2, 0.7, 0.6, 0.4] };

function expectInputError(run: () => unknown, field: string, reason: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(PerformanceInputError);
  const error = caught as PerformanceInputError;
  expect(error.field).toBe(field);
  expect(error.message).toMatch(reason);
  expect(error.message.startsWith(`${field}: `)).toBe(true);
}

describe("performance input errors name the field and the reason", () => {
  it("rejects arrays of different lengths", () => {
    expectInputError(
      () => comparePerformance("binary", { y_true: [0, 1, 1], y_pred: [0, 1] }, goodBinary),
      "current.y_pred",
      /has 2 rows but current.y_true has 3/,
    );
    expectInputError(
      () =>
        comparePerformance(
          "regression",
          { y_true: [1], y_pred: [1] },
          { y_true: [1, 2], y_pred: [1] },
        ),
      "reference.y_pred",
      /has 1 rows but reference.y_true has 2/,
    );
  });

  it("rejects non-finite scores and regression values, naming the row", () => {
    expectInputError(
      () => comparePerformance("binary", goodBinary, { y_true: [0, 1], scores: [0.1, Number.NaN] }),
      "reference.scores[1]",
      /must be a finite number, got NaN/,
    );
    expectInputError(
      () =>
        comparePerformance(
          "regression",
          { y_true: [1, 2, Number.POSITIVE_INFINITY], y_pred: [1, 2, 3] },
          { y_true: [1], y_pred: [1] },
        ),
      "current.y_true[2]",
      /Infinity/,
    );
  });

  it("rejects more than two labels in a binary task, and a positive label that is absent", () => {
    expectInputError(
      () => comparePerformance("binary", { y_true: [0, 1, 2], y_pred: [0, 1, 1] }, goodBinary),
      "current.y_true/y_pred",
      /binary task but 3 distinct labels found \(0, 1, 2\)/,
    );
    expectInputError(
      () =>
        comparePerformance("binary", { y_true: ["a", "b"], y_pred: ["a", "a"] }, goodBinary, {
          positiveLabel: "c",
        }),
      "current.y_true/y_pred",
      /the positive label "c" is not among the labels \("a", "b"\)/,
    );
  });

  it('rejects string labels against a numeric positive label (1 is not "1")', () => {
    expectInputError(
      () => comparePerformance("binary", { y_true: ["0", "1"], scores: [0.1, 0.9] }, goodBinary),
      "current.y_true[0]",
      /label "0" is a string but options.positiveLabel is a number/,
    );
  });

  it("rejects null labels and a window without predictions", () => {
    const nullLabel = { y_true: [0, null], y_pred: [0, 1] } as unknown as BinaryWindow;
    expectInputError(
      () => comparePerformance("binary", goodBinary, nullLabel),
      "reference.y_true[1]",
      /got null/,
    );
    expectInputError(
      () => comparePerformance("binary", { y_true: [0, 1] }, goodBinary),
      "current",
      /needs y_pred or scores/,
    );
    expectInputError(
      () => comparePerformance("binary", null as unknown as BinaryWindow, goodBinary),
      "current",
      /must be an object/,
    );
  });

  it("rejects multiclass scores without classes, rows of the wrong width and unknown labels", () => {
    const scores = [
      [0.2, 0.5, 0.3],
      [0.6, 0.3, 0.1],
    ];
    expectInputError(
      () => computeWindowMetrics("multiclass", { y_true: ["a", "b"], scores }),
      "options.classes",
      /required with multiclass scores/,
    );
    expectInputError(
      () =>
        computeWindowMetrics(
          "multiclass",
          {
            y_true: ["a", "b"],
            scores: [
              [0.5, 0.5],
              [0.6, 0.3, 0.1],
            ],
          },
          { classes: ["a", "b", "c"] },
        ),
      "window.scores[0]",
      /has 2 scores but there are 3 classes/,
    );
    expectInputError(
      () =>
        computeWindowMetrics(
          "multiclass",
          { y_true: ["a", "z"], scores },
          { classes: ["a", "b", "c"] },
        ),
      "window.y_true[1]",
      /label "z" is not one of the classes \("a", "b", "c"\)/,
    );
  });

  it("rejects bad options", () => {
    const cases: [ComparePerformanceOptions, string, RegExp][] = [
      [{ alpha: 0 }, "options.alpha", /in \(0, 1\)/],
      [{ alpha: 1.5 }, "options.alpha", /in \(0, 1\)/],
      [{ threshold: Number.NaN }, "options.threshold", /finite number/],
      [{ average: "samples" as "macro" }, "options.average", /macro, micro, weighted/],
      [{ zeroDivision: 0.5 as 0 }, "options.zeroDivision", /"not_computable", 0 or 1/],
      [{ minimumDelta: { accuracy: -0.1 } }, "options.minimumDelta.accuracy", /≥ 0/],
      [{ classes: ["a", "a"] }, "options.classes", /more than once/],
      [{ classes: ["a"] }, "options.classes", /at least 2 classes/],
    ];
    for (const [options, field, reason] of cases) {
      expectInputError(
        () => comparePerformance("binary", goodBinary, goodBinary, options),
        field,
        reason,
      );
    }
  });

  it("rejects an unknown task", () => {
    expectInputError(
      () => comparePerformance("ranking" as PerformanceTask, goodBinary, goodBinary),
      "task",
      /must be one of binary, multiclass, regression, got "ranking"/,
    );
  });
});
