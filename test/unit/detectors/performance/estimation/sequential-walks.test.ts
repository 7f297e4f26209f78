// The expected ROC AUC (with its gradient) and the binary metrics walk copies of the rows in score
// order; they must give the numbers of the first versions (walks-before.ts), which read each row
// through `order`, bit for bit: ties, subsets of rows, 0/1 and fractional probabilities.

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  argsortAscending,
  binaryMetrics,
  expectedAuc,
} from "../../../../../detectors/performance/estimation/index.js";
import { mulberry32 } from "./generated-data.js";
import { binaryMetricsBefore, expectedAucBefore } from "./walks-before.js";

interface Rows {
  probabilities: Float64Array;
  scores: Float64Array;
  predicted: Uint8Array;
  order: Uint32Array;
}

function expectSame(rows: Rows): void {
  const { probabilities, scores, predicted, order } = rows;
  const gradient = new Float64Array(probabilities.length).fill(7);
  const gradientBefore = new Float64Array(probabilities.length).fill(7);
  expect(expectedAuc(probabilities, scores, order, gradient)).toEqual(
    expectedAucBefore(probabilities, scores, order, gradientBefore),
  );
  expect(Array.from(gradient)).toEqual(Array.from(gradientBefore));
  for (const withErrors of [true, false]) {
    const input = { probabilities, predictedPositive: predicted, rankScores: scores, order };
    expect(binaryMetrics(input, withErrors)).toEqual(binaryMetricsBefore(input, withErrors));
  }
}

function generated(seed: number, count: number, distinct: number, labels: boolean): Rows {
  const random = mulberry32(seed);
  const scores = Float64Array.from({ length: count }, () =>
    distinct > 0 ? Math.floor(random() * distinct) / distinct : random(),
  );
  const probabilities = Float64Array.from(scores, (s) =>
    labels ? (random() < s ? 1 : 0) : Math.min(1, s * 1.1),
  );
  const predicted = Uint8Array.from(scores, (s) => (s >= 0.5 ? 1 : 0));
  return { probabilities, scores, predicted, order: argsortAscending(scores) };
}

describe("sequential walks of the expected AUC and binary metrics", () => {
  it("equal the first versions on generated rows (ties or not, labels or probabilities)", () => {
    expectSame(generated(1, 20_000, 0, false));
    expectSame(generated(2, 20_000, 0, true));
    expectSame(generated(3, 20_000, 50, false));
    expectSame(generated(4, 5_000, 7, true));
  });

  it("equal the first versions on a subset of the rows (a chunk's order)", () => {
    const rows = generated(5, 10_000, 100, false);
    const subset = rows.order.filter((row) => row % 3 !== 0);
    expectSame({ ...rows, order: subset });
  });

  it("equal the first versions on any small input, null AUC included (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 5 }),
            fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })),
            fc.boolean(),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        (points) => {
          const scores = Float64Array.from(points, ([s]) => s / 5);
          expectSame({
            scores,
            probabilities: Float64Array.from(points, ([, p]) => p),
            predicted: Uint8Array.from(points, ([, , positive]) => (positive ? 1 : 0)),
            order: argsortAscending(scores),
          });
        },
      ),
    );
  });
});
