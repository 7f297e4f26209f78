// Options of fitEstimator, their defaults and validation (errors name `options.<field>`).

import { PerformanceInputError } from "../errors.js";
import type { Label } from "../labels.js";
import type { CalibrationMode } from "./calibrator.js";
import { DEFAULT_CALIBRATION_FOLDS } from "./calibrator.js";
import type { ReportSettings } from "./estimate-report.js";

export interface EstimatorOptions {
  /** Binary: the label counted as positive (default 1). */
  positiveLabel?: Label;
  /** Binary without a predictions column: a score ≥ threshold predicts positive (default 0.5). */
  threshold?: number;
  /** "auto" (default): isotonic only when it lowers the held-out ECE on every fold. */
  calibration?: CalibrationMode;
  /** Cross-validation folds of the calibration rule (default 5). */
  calibrationFolds?: number;
  /** Sampling-error band half-width in standard errors (default 3). */
  bandSigmas?: number;
  /** Threshold half-width in reference standard deviations (default 3). */
  thresholdSigmas?: number;
  /** Chunk size whose reference spread is computed at fit time (others on first use). */
  chunkSize?: number;
}

export interface ResolvedEstimatorOptions extends ReportSettings {
  positiveLabel: Label;
  threshold: number;
  calibration: CalibrationMode;
  calibrationFolds: number;
  chunkSize: number | undefined;
}

export const DEFAULT_BAND_SIGMAS = 3;
export const DEFAULT_THRESHOLD_SIGMAS = 3;

function requirePositive(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new PerformanceInputError(
      `options.${field}`,
      `must be a positive number, got ${String(value)}`,
    );
  }
  return value;
}

export function resolveEstimatorOptions(options: EstimatorOptions): ResolvedEstimatorOptions {
  const threshold = options.threshold ?? 0.5;
  if (typeof threshold !== "number" || !Number.isFinite(threshold)) {
    throw new PerformanceInputError(
      "options.threshold",
      `must be a finite number, got ${String(threshold)}`,
    );
  }
  const chunkSize = options.chunkSize;
  if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize >= 1)) {
    throw new PerformanceInputError(
      "options.chunkSize",
      `must be a positive integer, got ${String(chunkSize)}`,
    );
  }
  return {
    positiveLabel: options.positiveLabel ?? 1,
    threshold,
    calibration: options.calibration ?? "auto",
    calibrationFolds: options.calibrationFolds ?? DEFAULT_CALIBRATION_FOLDS,
    bandSigmas: requirePositive(options.bandSigmas, DEFAULT_BAND_SIGMAS, "bandSigmas"),
    thresholdSigmas: requirePositive(
      options.thresholdSigmas,
      DEFAULT_THRESHOLD_SIGMAS,
      "thresholdSigmas",
    ),
    chunkSize,
  };
}
