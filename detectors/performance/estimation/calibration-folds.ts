// The cross-validation behind the calibration rule (calibrator.ts): per fold, the held-out ECE of
// the raw scores and of the isotonic map fitted on the other folds, plus the map fitted on every
// row. Rather than sort and pool each fold's training rows anew, the rows are pooled once by
// distinct score (in the shared ascending order) with their row and positive counts per fold;
// a fold's training points are then the totals minus that fold's counts. With 0/1 outcomes and
// unit weights the pooled sums are exact integers, so every point, fit, prediction and ECE is
// the same number the per-fold fit computes (fitIsotonic pools rows whose scores differ by less
// than TIE_RESOLUTION; when two distinct scores are that close, or a score is −0, the pooling is
// not by distinct value and the per-fold fit runs instead).

import { calibrationBin, CALIBRATION_BINS, expectedCalibrationError } from "./calibration-error.js";
import type { IsotonicFit } from "./isotonic.js";
import {
  fitIsotonic,
  fitIsotonicPoints,
  predictIsotonic,
  predictIsotonicAscending,
  TIE_RESOLUTION,
} from "./isotonic.js";

/** Held-out ECE per fold (raw scores, isotonic map fitted without the fold) and the full fit. */
export interface FoldComparison {
  raw: number[];
  isotonic: number[];
  /** The isotonic map fitted on every row. */
  fitAll(): IsotonicFit;
}

/** Rows pooled by distinct score, with row and positive counts per fold. */
interface ScoreGroups {
  count: number;
  /** Ascending distinct scores. */
  values: Float64Array;
  /** The group of each row. */
  groupOf: Uint32Array;
  /** Rows of group g in fold f at g · folds + f, and their positives. */
  rows: Uint32Array;
  positives: Uint32Array;
  totalRows: Uint32Array;
  totalPositives: Uint32Array;
}

/**
 * Compare raw and isotonic held-out ECE on each of `folds` folds (`foldOf`: each row's fold;
 * `order`: every row in ascending score order, stable).
 */
export function compareOnFolds(
  scores: Float64Array,
  isPositive: Uint8Array,
  order: Uint32Array,
  foldOf: Uint8Array,
  folds: number,
): FoldComparison {
  const groups = groupScores(scores, isPositive, order, foldOf, folds);
  return groups === null
    ? compareRowByRow(scores, isPositive, order, foldOf, folds)
    : compareByGroups(groups, isPositive, foldOf, folds);
}

function groupScores(
  scores: Float64Array,
  isPositive: Uint8Array,
  order: Uint32Array,
  foldOf: Uint8Array,
  folds: number,
): ScoreGroups | null {
  // One walk in score order: groups come in ascending order, so their slots fill in sequence.
  const groupOf = new Uint32Array(scores.length);
  const values = new Float64Array(order.length);
  const rows = new Uint32Array(order.length * folds);
  const positives = new Uint32Array(order.length * folds);
  let group = -1;
  let previous = 0;
  for (let i = 0; i < order.length; i += 1) {
    const row = order[i]!;
    const value = scores[row]!;
    if (group < 0 || value !== previous) {
      if (group >= 0 && !(value - previous >= TIE_RESOLUTION)) return null;
      if (value === 0 && 1 / value < 0) return null; // −0: equal to 0 but a different x
      group += 1;
      values[group] = value;
      previous = value;
    }
    groupOf[row] = group;
    const slot = group * folds + foldOf[row]!;
    rows[slot] += 1;
    positives[slot] += isPositive[row]!;
  }
  const count = group + 1;
  const totalRows = new Uint32Array(count);
  const totalPositives = new Uint32Array(count);
  for (let g = 0, slot = 0; g < count; g += 1) {
    for (let fold = 0; fold < folds; fold += 1, slot += 1) {
      totalRows[g] += rows[slot]!;
      totalPositives[g] += positives[slot]!;
    }
  }
  return { count, values, groupOf, rows, positives, totalRows, totalPositives };
}

/** The isotonic map of the groups' rows outside `fold` (every row when fold is −1). */
function fitGroups(groups: ScoreGroups, folds: number, fold: number): IsotonicFit {
  const x = new Float64Array(groups.count);
  const meanY = new Float64Array(groups.count);
  const weight = new Float64Array(groups.count);
  let points = 0;
  for (let group = 0; group < groups.count; group += 1) {
    const slot = group * folds + fold;
    const rows = groups.totalRows[group]! - (fold < 0 ? 0 : groups.rows[slot]!);
    if (rows === 0) continue;
    const positives = groups.totalPositives[group]! - (fold < 0 ? 0 : groups.positives[slot]!);
    x[points] = groups.values[group]!;
    meanY[points] = positives / rows;
    weight[points] = rows;
    points += 1;
  }
  return fitIsotonicPoints(x, meanY, weight, points);
}

function eceOf(gaps: Float64Array, base: number, rows: number): number {
  if (rows === 0) return 0;
  let total = 0;
  for (let bin = 0; bin < CALIBRATION_BINS; bin += 1) total += Math.abs(gaps[base + bin]!);
  return total / rows;
}

function compareByGroups(
  groups: ScoreGroups,
  isPositive: Uint8Array,
  foldOf: Uint8Array,
  folds: number,
): FoldComparison {
  const { groupOf, values } = groups;
  const rowCount = foldOf.length;
  // Raw ECE of every fold in one pass (each fold's gaps still summed in row order).
  const rawGaps = new Float64Array(folds * CALIBRATION_BINS);
  const foldRows = new Float64Array(folds);
  for (let row = 0; row < rowCount; row += 1) {
    const fold = foldOf[row]!;
    const probability = values[groupOf[row]!]!;
    rawGaps[fold * CALIBRATION_BINS + calibrationBin(probability)] +=
      isPositive[row]! - probability;
    foldRows[fold] += 1;
  }
  const raw: number[] = [];
  const isotonic: number[] = [];
  const mapped = new Float64Array(groups.count);
  const gaps = new Float64Array(CALIBRATION_BINS);
  for (let fold = 0; fold < folds; fold += 1) {
    raw.push(eceOf(rawGaps, fold * CALIBRATION_BINS, foldRows[fold]!));
    predictIsotonicAscending(fitGroups(groups, folds, fold), values, groups.count, mapped);
    gaps.fill(0);
    for (let row = 0; row < rowCount; row += 1) {
      if (foldOf[row] !== fold) continue;
      const probability = mapped[groupOf[row]!]!;
      gaps[calibrationBin(probability)] += isPositive[row]! - probability;
    }
    isotonic.push(eceOf(gaps, 0, foldRows[fold]!));
  }
  return { raw, isotonic, fitAll: () => fitGroups(groups, folds, -1) };
}

/** The plain per-fold fit: each fold's training rows sorted out of `order` and pooled anew. */
function compareRowByRow(
  scores: Float64Array,
  isPositive: Uint8Array,
  order: Uint32Array,
  foldOf: Uint8Array,
  folds: number,
): FoldComparison {
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
    const heldOutOutcomes = heldOut.map((row) => isPositive[row]!);
    raw.push(expectedCalibrationError(scores, isPositive, heldOut));
    isotonic.push(expectedCalibrationError(mapped, heldOutOutcomes));
  }
  return { raw, isotonic, fitAll: () => fitIsotonic(scores, outcomes, undefined, order) };
}
