// The pooled cross-validation of the calibration rule (calibration-folds.ts) gives the same
// numbers, bit for bit, as fitting each fold's training rows anew (the rule as first written,
// kept below as the reference): per-fold ECE of raw and isotonic scores and the full fit, on
// tied, continuous, near-tied (closer than 1e-15: the row-by-row path) and −0 scores.

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  argsortAscending,
  chooseCalibrator,
  expectedCalibrationError,
  fitIsotonic,
  predictIsotonic,
} from "../../../../../detectors/performance/estimation/index.js";
import { predictIsotonicAscending } from "../../../../../detectors/performance/estimation/isotonic.js";
import { mulberry32 } from "./generated-data.js";

/** The per-fold computation the pooled one replaced. */
function perFoldEvidence(scores: Float64Array, isPositive: Uint8Array, folds: number) {
  const order = argsortAscending(scores);
  const foldOf = new Uint8Array(isPositive.length);
  const seen = [0, 0];
  for (let row = 0; row < isPositive.length; row += 1) {
    foldOf[row] = seen[isPositive[row]!]! % folds;
    seen[isPositive[row]!]! += 1;
  }
  const outcomes = Float64Array.from(isPositive);
  const raw: number[] = [];
  const isotonic: number[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const training = order.filter((row) => foldOf[row] !== fold);
    const heldOut: number[] = [];
    for (let row = 0; row < foldOf.length; row += 1) if (foldOf[row] === fold) heldOut.push(row);
    const fit = fitIsotonic(scores, outcomes, undefined, training);
    const mapped = predictIsotonic(
      fit,
      heldOut.map((row) => scores[row]!),
    );
    raw.push(expectedCalibrationError(scores, isPositive, heldOut));
    isotonic.push(
      expectedCalibrationError(
        mapped,
        heldOut.map((row) => isPositive[row]!),
      ),
    );
  }
  return { raw, isotonic, fit: fitIsotonic(scores, outcomes, undefined, order) };
}

function expectSameAsPerFold(scores: Float64Array, isPositive: Uint8Array, folds = 5): void {
  const calibrator = chooseCalibrator(scores, isPositive, { folds });
  const expected = perFoldEvidence(scores, isPositive, folds);
  expect(calibrator.evidence).not.toBeNull();
  expect(calibrator.evidence!.raw).toEqual(expected.raw);
  expect(calibrator.evidence!.isotonic).toEqual(expected.isotonic);
  const chooseIsotonic = expected.isotonic.every((ece, fold) => ece < expected.raw[fold]!);
  expect(calibrator.kind).toBe(chooseIsotonic ? "isotonic" : "identity");
  if (calibrator.kind === "isotonic") {
    expect(Array.from(calibrator.fit.x)).toEqual(Array.from(expected.fit.x));
    expect(Array.from(calibrator.fit.y)).toEqual(Array.from(expected.fit.y));
  }
}

/** Rows whose label is a Bernoulli draw of `truth(score)`, both classes present `folds` times. */
function rows(random: () => number, count: number, score: () => number, truth = (s: number) => s) {
  const scores = new Float64Array(count);
  const isPositive = new Uint8Array(count);
  for (let i = 0; i < count; i += 1) {
    scores[i] = score();
    isPositive[i] = random() < truth(Math.abs(scores[i]!)) ? 1 : 0;
  }
  for (let i = 0; i < 10; i += 1) isPositive[i] = i % 2; // at least 5 of each class
  return { scores, isPositive };
}

describe("pooled cross-validation of the calibration rule", () => {
  it("equals the per-fold fits on few distinct scores (ties), calibrated or not", () => {
    const random = mulberry32(7);
    const grid = () => Math.floor(random() * 21) / 20;
    const tied = rows(random, 5000, grid);
    expectSameAsPerFold(tied.scores, tied.isPositive);
    const distorted = rows(random, 5000, grid, (s) => s ** 3);
    expectSameAsPerFold(distorted.scores, distorted.isPositive, 3);
  });

  it("equals the per-fold fits on continuous scores (radix-sorted sizes too)", () => {
    const random = mulberry32(11);
    const continuous = rows(random, 30_000, random, (s) => Math.sqrt(s));
    expectSameAsPerFold(continuous.scores, continuous.isPositive);
    const sixDigits = rows(random, 20_000, () => Math.round(random() * 1e6) / 1e6);
    expectSameAsPerFold(sixDigits.scores, sixDigits.isPositive, 7);
  });

  it("equals the per-fold fits when scores differ by less than 1e-15, or are −0", () => {
    const random = mulberry32(13);
    const nearTies = rows(random, 3000, () => {
      const base = Math.floor(random() * 10) / 10;
      return random() < 0.5 ? base : base + Number.EPSILON * base;
    });
    expectSameAsPerFold(nearTies.scores, nearTies.isPositive);
    const negativeZero = rows(random, 3000, () => (random() < 0.2 ? -0 : random()));
    expectSameAsPerFold(negativeZero.scores, negativeZero.isPositive);
  });

  it("equals the per-fold fits on any small input (property)", () => {
    const score = fc.oneof(
      fc.integer({ min: 0, max: 8 }).map((step) => step / 8),
      fc.double({ min: 0, max: 1, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(score, fc.boolean()), { minLength: 8, maxLength: 80 }),
        fc.integer({ min: 2, max: 4 }),
        (points, folds) => {
          const scores = Float64Array.from(points, ([s]) => s);
          const isPositive = Uint8Array.from(points, ([, positive], i) =>
            i < 2 * folds ? i % 2 : positive ? 1 : 0,
          );
          expectSameAsPerFold(scores, isPositive, folds);
        },
      ),
    );
  });
});

describe("predictIsotonicAscending", () => {
  it("gives predictIsotonic's numbers for ascending values", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 1, noNaN: true })),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        fc.array(fc.double({ min: -0.5, max: 1.5, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (points, queries) => {
          const fit = fitIsotonic(
            Float64Array.from(points, ([x]) => x / 30),
            Float64Array.from(points, ([, y]) => y),
          );
          const sorted = Float64Array.from(queries).sort();
          const out = new Float64Array(sorted.length);
          predictIsotonicAscending(fit, sorted, sorted.length, out);
          expect(Array.from(out)).toEqual(Array.from(predictIsotonic(fit, sorted)));
        },
      ),
    );
  });
});
