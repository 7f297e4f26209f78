// Isotonic regression (non-decreasing) by pool-adjacent-violators, fitted like scikit-learn's
// IsotonicRegression(out_of_bounds="clip"): rows sorted by x, x values closer than 1e-15 to
// the first of their run merged into one point (weighted mean of y, summed weights), the
// weighted PAV fit, the points kept where the fitted y changes; predictions interpolate
// linearly between the kept points and clip x to the fitted range.

import { PerformanceInputError } from "../errors.js";
import { argsortAscending } from "./argsort.js";

/** A fitted isotonic map: ascending x thresholds and their non-decreasing fitted y. */
export interface IsotonicFit {
  x: Float64Array;
  y: Float64Array;
}

/** numpy's finfo(float64).resolution: x values this close to their run's first are one point. */
export const TIE_RESOLUTION = 1e-15;

/**
 * Fit a non-decreasing map of x to y. `order` lists the rows to fit in ascending x (a subset
 * is allowed, e.g. a cross-validation fold's training rows); by default every row, sorted here.
 */
export function fitIsotonic(
  x: Float64Array,
  y: Float64Array,
  weights?: Float64Array,
  order?: Uint32Array,
): IsotonicFit {
  const rows = order ?? argsortAscending(x);
  if (rows.length === 0) throw new PerformanceInputError("isotonic.x", "no rows to fit");
  // Merge (near-)equal x into weighted points.
  const pointX = new Float64Array(rows.length);
  const pointWeightedY = new Float64Array(rows.length);
  const pointWeight = new Float64Array(rows.length);
  let points = 0;
  let currentX = x[rows[0]!]!;
  let sumWeightedY = 0;
  let sumWeight = 0;
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r]!;
    const weight = weights === undefined ? 1 : weights[row]!;
    if (x[row]! - currentX >= TIE_RESOLUTION) {
      pointX[points] = currentX;
      pointWeightedY[points] = sumWeightedY / sumWeight;
      pointWeight[points] = sumWeight;
      points += 1;
      currentX = x[row]!;
      sumWeightedY = 0;
      sumWeight = 0;
    }
    sumWeightedY += y[row]! * weight;
    sumWeight += weight;
  }
  pointX[points] = currentX;
  pointWeightedY[points] = sumWeightedY / sumWeight;
  pointWeight[points] = sumWeight;
  points += 1;
  return fitIsotonicPoints(pointX, pointWeightedY, pointWeight, points);
}

/**
 * The isotonic map of `count` merged points (ascending distinct x, the mean y and the summed
 * weight of each): the weighted PAV fit, kept where the fitted y changes. fitIsotonic ends here;
 * callers that pool rows themselves (the cross-validation of calibrator.ts) start here.
 */
export function fitIsotonicPoints(
  x: Float64Array,
  meanY: Float64Array,
  weight: Float64Array,
  count: number,
): IsotonicFit {
  const fitted = poolAdjacentViolators(meanY.subarray(0, count), weight);
  return keepChangePoints(x.subarray(0, count), fitted);
}

/** Weighted PAV: the non-decreasing sequence closest to `values` in weighted least squares. */
function poolAdjacentViolators(values: Float64Array, weights: Float64Array): Float64Array {
  const count = values.length;
  const blockMean = new Float64Array(count);
  const blockWeight = new Float64Array(count);
  const blockEnd = new Uint32Array(count); // exclusive end index of each block
  let blocks = 0;
  for (let i = 0; i < count; i += 1) {
    let mean = values[i]!;
    let weight = weights[i]!;
    while (blocks > 0 && blockMean[blocks - 1]! >= mean) {
      const previousWeight = blockWeight[blocks - 1]!;
      const total = previousWeight + weight;
      mean = (blockMean[blocks - 1]! * previousWeight + mean * weight) / total;
      weight = total;
      blocks -= 1;
    }
    blockMean[blocks] = mean;
    blockWeight[blocks] = weight;
    blockEnd[blocks] = i + 1;
    blocks += 1;
  }
  const fitted = new Float64Array(count);
  for (let b = 0, start = 0; b < blocks; b += 1) {
    fitted.fill(blockMean[b]!, start, blockEnd[b]!);
    start = blockEnd[b]!;
  }
  return fitted;
}

/** Drop interior points of constant runs (interpolation is unchanged). */
function keepChangePoints(x: Float64Array, y: Float64Array): IsotonicFit {
  const last = x.length - 1;
  const interior = (i: number): boolean =>
    i > 0 && i < last && y[i] === y[i - 1] && y[i] === y[i + 1];
  let kept = 0;
  for (let i = 0; i <= last; i += 1) if (!interior(i)) kept += 1;
  const keptX = new Float64Array(kept);
  const keptY = new Float64Array(kept);
  for (let i = 0, k = 0; i <= last; i += 1) {
    if (interior(i)) continue;
    keptX[k] = x[i]!;
    keptY[k] = y[i]!;
    k += 1;
  }
  return { x: keptX, y: keptY };
}

/** The fitted map at each value: linear between thresholds, x clipped to the fitted range. */
export function predictIsotonic(fit: IsotonicFit, values: ArrayLike<number>): Float64Array {
  const { x, y } = fit;
  const last = x.length - 1;
  const predicted = new Float64Array(values.length);
  for (let i = 0; i < values.length; i += 1) {
    predicted[i] = last === 0 ? y[0]! : interpolate(x, y, values[i]!, last);
  }
  return predicted;
}

/**
 * The fitted map at `count` ascending values into `out`: the same figures as predictIsotonic,
 * by one walk along the thresholds instead of a binary search per value.
 */
export function predictIsotonicAscending(
  fit: IsotonicFit,
  values: Float64Array,
  count: number,
  out: Float64Array,
): void {
  const { x, y } = fit;
  const last = x.length - 1;
  if (last === 0) {
    out.fill(y[0]!, 0, count);
    return;
  }
  let low = 1; // first threshold ≥ the value, within 1…last: the index interpolate() finds
  for (let i = 0; i < count; i += 1) {
    const raw = values[i]!;
    const value = raw < x[0]! ? x[0]! : raw > x[last]! ? x[last]! : raw;
    while (low < last && x[low]! < value) low += 1;
    const slope = (y[low]! - y[low - 1]!) / (x[low]! - x[low - 1]!);
    out[i] = slope * (value - x[low - 1]!) + y[low - 1]!;
  }
}

function interpolate(x: Float64Array, y: Float64Array, raw: number, last: number): number {
  const value = raw < x[0]! ? x[0]! : raw > x[last]! ? x[last]! : raw;
  // First threshold ≥ value (searchsorted left), kept within 1…last like scipy's interp1d.
  let low = 1;
  let high = last;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (x[middle]! < value) low = middle + 1;
    else high = middle;
  }
  const slope = (y[low]! - y[low - 1]!) / (x[low]! - x[low - 1]!);
  return slope * (value - x[low - 1]!) + y[low - 1]!;
}
