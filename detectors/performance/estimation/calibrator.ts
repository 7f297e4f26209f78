// The calibration rule: isotonic regression fitted on the reference's labels replaces the scores
// only when it beats them held out. Stratified K-fold cross-validation on the reference (fold of
// a row = its rank among rows of its class, in row order, modulo K: deterministic); for each fold
// the isotonic map is fitted on the other folds and the fold's ECE of the mapped scores is
// compared with the fold's ECE of the raw scores. Isotonic is chosen when it lowers the ECE on
// every fold, else the scores are used as given. ECE is computed per held-out fold, never on the
// pooled out-of-fold predictions: pooled, each bin's label noise is cancelled by the maps fitted
// on that same noise, so isotonic would look better even for exact probabilities.

import { PerformanceInputError } from "../errors.js";
import { argsortAscending } from "./argsort.js";
import { compareOnFolds } from "./calibration-folds.js";
import type { IsotonicFit } from "./isotonic.js";
import { fitIsotonic, predictIsotonic } from "./isotonic.js";

export const DEFAULT_CALIBRATION_FOLDS = 5;

/** Held-out ECE per fold, of the raw scores and of the isotonic map fitted without the fold. */
export interface CalibrationEvidence {
  folds: number;
  raw: number[];
  isotonic: number[];
}

/** How scores become probabilities: as given, or through an isotonic map. */
export type Calibrator =
  | { kind: "identity"; reason: string; evidence: CalibrationEvidence | null }
  | { kind: "isotonic"; reason: string; fit: IsotonicFit; evidence: CalibrationEvidence | null };

/** "auto" applies the rule above; the others force a calibrator (no cross-validation). */
export type CalibrationMode = "auto" | "identity" | "isotonic";
export const CALIBRATION_MODES: readonly CalibrationMode[] = ["auto", "identity", "isotonic"];

export interface CalibrationOptions {
  /** Default "auto". */
  mode?: CalibrationMode;
  /** Cross-validation folds (default 5, from 2 to 100). */
  folds?: number;
  /** Row indices in ascending score order, when the caller has them already. */
  order?: Uint32Array;
}

/** Choose identity or isotonic for `scores` (in [0, 1]) given 0/1 outcomes (see module comment). */
export function chooseCalibrator(
  scores: Float64Array,
  isPositive: Uint8Array,
  options: CalibrationOptions = {},
): Calibrator {
  const mode = options.mode ?? "auto";
  if (!CALIBRATION_MODES.includes(mode)) {
    throw new PerformanceInputError(
      "options.calibration",
      `must be one of ${CALIBRATION_MODES.join(", ")}, got ${JSON.stringify(mode)}`,
    );
  }
  if (mode === "identity")
    return { kind: "identity", reason: "options.calibration is identity", evidence: null };
  if (mode === "isotonic") {
    const fit = fitIsotonic(scores, Float64Array.from(isPositive), undefined, options.order);
    return { kind: "isotonic", reason: "options.calibration is isotonic", fit, evidence: null };
  }
  const folds = options.folds ?? DEFAULT_CALIBRATION_FOLDS;
  if (!Number.isInteger(folds) || folds < 2 || folds > 100) {
    throw new PerformanceInputError(
      "options.calibrationFolds",
      `must be an integer from 2 to 100, got ${folds}`,
    );
  }
  let positives = 0;
  for (const flag of isPositive) positives += flag;
  const negatives = isPositive.length - positives;
  if (Math.min(positives, negatives) < folds) {
    return {
      kind: "identity",
      reason: `the reference has ${positives} positive and ${negatives} negative rows; cross-validation needs ${folds} of each`,
      evidence: null,
    };
  }
  const order = options.order ?? argsortAscending(scores);
  const comparison = compareOnFolds(
    scores,
    isPositive,
    order,
    stratifiedFolds(isPositive, folds),
    folds,
  );
  const evidence: CalibrationEvidence = {
    folds,
    raw: comparison.raw,
    isotonic: comparison.isotonic,
  };
  const better = evidence.isotonic.every((ece, fold) => ece < evidence.raw[fold]!);
  if (!better) {
    return {
      kind: "identity",
      reason: "isotonic calibration did not lower the held-out ECE on every fold",
      evidence,
    };
  }
  return {
    kind: "isotonic",
    reason: "isotonic calibration lowered the held-out ECE on every fold",
    fit: comparison.fitAll(),
    evidence,
  };
}

/** Fold index per row: its rank among rows of the same class, modulo `folds`. */
function stratifiedFolds(isPositive: Uint8Array, folds: number): Uint8Array {
  const foldOf = new Uint8Array(isPositive.length);
  const seen = [0, 0];
  for (let row = 0; row < isPositive.length; row += 1) {
    const flag = isPositive[row]!;
    foldOf[row] = seen[flag]! % folds;
    seen[flag]! += 1;
  }
  return foldOf;
}

/** Probabilities from scores through the calibrator. */
export function applyCalibrator(calibrator: Calibrator, scores: Float64Array): Float64Array {
  return calibrator.kind === "isotonic" ? predictIsotonic(calibrator.fit, scores) : scores;
}
