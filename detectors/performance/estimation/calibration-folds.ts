// The cross-validation behind the calibration rule (calibrator.ts): per fold, the held-out ECE of
// the raw scores and of the isotonic map fitted on the other folds, plus the map fitted on every
// row. Rather than sort each fold's training rows anew, the rows are copied once in the shared
// ascending score order with their fold and outcome, numbered by distinct score; each fold's
// training points are then pooled by one sequential walk. With 0/1 outcomes and unit weights the
// pooled sums are exact integers, so every point, fit, prediction and ECE is
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

/** The rows in score order (fold and outcome copied along), pooled by distinct score. */
interface ScoreGroups {
  count: number;
  /** Ascending distinct scores. */
  values: Float64Array;
  /** The group of each row. */
  groupOf: Uint32Array;
  /** Per position in score order: the row's group, fold and outcome. */
  sortedGroup: Uint32Array;
  sortedFold: Uint8Array;
  sortedPositive: Uint8Array;
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
  const groups = groupScores(scores, isPositive, order, foldOf);
  return groups === null
    ? compareRowByRow(scores, isPositive, order, foldOf, folds)
    : compareByGroups(groups, isPositive, foldOf, folds);
}

function groupScores(
  scores: Float64Array,
  isPositive: Uint8Array,
  order: Uint32Array,
  foldOf: Uint8Array,
): ScoreGroups | null {
  // One walk in score order copies what the fold fits need, so they then read in sequence.
  const rowCount = order.length;
  const groupOf = new Uint32Array(scores.length);
  const sortedGroup = new Uint32Array(rowCount);
  const sortedFold = new Uint8Array(rowCount);
  const sortedPositive = new Uint8Array(rowCount);
  let group = -1;
  let previous = 0;
  for (let i = 0; i < rowCount; i += 1) {
    const row = order[i]!;
    const value = scores[row]!;
    if (group < 0 || value !== previous) {
      if (group >= 0 && !(value - previous >= TIE_RESOLUTION)) return null;
      if (value === 0 && 1 / value < 0) return null; // −0: equal to 0 but a different x
      group += 1;
      previous = value;
    }
    groupOf[row] = group;
    sortedGroup[i] = group;
    sortedFold[i] = foldOf[row]!;
    sortedPositive[i] = isPositive[row]!;
  }
  const count = group + 1;
  const values = new Float64Array(count);
  for (let i = 0; i < rowCount; i += 1) values[sortedGroup[i]!] = scores[order[i]!]!;
  return { count, values, groupOf, sortedGroup, sortedFold, sortedPositive };
}

/** Point buffers reused by every fit of one comparison. */
interface PointBuffers {
  x: Float64Array;
  meanY: Float64Array;
  weight: Float64Array;
}

/** The isotonic map of the rows outside `fold` (every row when fold is −1). */
function fitGroups(groups: ScoreGroups, fold: number, points: PointBuffers): IsotonicFit {
  const { sortedGroup, sortedFold, sortedPositive, values } = groups;
  const rowCount = sortedGroup.length;
  let count = 0;
  for (let i = 0; i < rowCount;) {
    const group = sortedGroup[i]!;
    let rows = 0;
    let positives = 0;
    for (; i < rowCount && sortedGroup[i] === group; i += 1) {
      if (sortedFold[i] === fold) continue;
      rows += 1;
      positives += sortedPositive[i]!;
    }
    if (rows === 0) continue;
    points.x[count] = values[group]!;
    points.meanY[count] = positives / rows;
    points.weight[count] = rows;
    count += 1;
  }
  return fitIsotonicPoints(points.x, points.meanY, points.weight, count);
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
  const points: PointBuffers = {
    x: new Float64Array(groups.count),
    meanY: new Float64Array(groups.count),
    weight: new Float64Array(groups.count),
  };
  for (let fold = 0; fold < folds; fold += 1) {
    raw.push(eceOf(rawGaps, fold * CALIBRATION_BINS, foldRows[fold]!));
    predictIsotonicAscending(fitGroups(groups, fold, points), values, groups.count, mapped);
    gaps.fill(0);
    for (let row = 0; row < rowCount; row += 1) {
      if (foldOf[row] !== fold) continue;
      const probability = mapped[groupOf[row]!]!;
      gaps[calibrationBin(probability)] += isPositive[row]! - probability;
    }
    isotonic.push(eceOf(gaps, 0, foldRows[fold]!));
  }
  return { raw, isotonic, fitAll: () => fitGroups(groups, -1, points) };
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
