// The per-window inputs of each task and the options that shape the metrics, plus their
// validation: every problem becomes a PerformanceInputError naming the field and the reason.

import { PerformanceInputError } from "./errors.js";
import type { Label, LabelArray } from "./labels.js";
import { distinctLabels, firstLabelType } from "./labels.js";
import { requireArray } from "./numeric-input.js";
import type { Average, ZeroDivision } from "./precision-recall-f1.js";
import { AVERAGES } from "./precision-recall-f1.js";
import { DEFAULT_THRESHOLD } from "./score-threshold.js";

export type PerformanceTask = "binary" | "multiclass" | "regression";
export const PERFORMANCE_TASKS: readonly PerformanceTask[] = ["binary", "multiclass", "regression"];

/** A binary classifier's labelled rows: predicted labels, positive-class scores, or both. */
export interface BinaryWindow {
  y_true: LabelArray;
  /** Predicted labels; when absent they come from `scores` and the threshold. */
  y_pred?: LabelArray;
  /** Score (probability for log loss) of the positive class per row. */
  scores?: ArrayLike<number>;
}

/** A multiclass classifier's labelled rows. */
export interface MulticlassWindow {
  y_true: LabelArray;
  /** Predicted labels; when absent, the class with the highest score (first on ties). */
  y_pred?: LabelArray;
  /** Per-row class probabilities, column c for options.classes[c] (required with scores). */
  scores?: ReadonlyArray<ArrayLike<number>>;
}

/** A regression model's labelled rows. */
export interface RegressionWindow {
  y_true: ArrayLike<number>;
  y_pred: ArrayLike<number>;
}

export interface PerformanceOptions {
  /** Binary: the label counted as positive (default 1). */
  positiveLabel?: Label;
  /** Binary: a score ≥ threshold predicts the positive class (default 0.5). */
  threshold?: number;
  /**
   * Multiclass: the classes in score-column order; also the classes averaged over. Default:
   * the sorted distinct labels of the window's y_true and y_pred (sklearn's unique_labels).
   */
  classes?: readonly Label[];
  /** Multiclass precision/recall/F1 average (default "macro"). */
  average?: Average;
  /** What an undefined precision/recall/F1 becomes (default "not_computable"). */
  zeroDivision?: ZeroDivision;
}

export interface ResolvedOptions {
  positiveLabel: Label;
  threshold: number;
  classes: readonly Label[] | null;
  average: Average;
  zeroDivision: ZeroDivision;
}

export function resolveOptions(options: PerformanceOptions): ResolvedOptions {
  const positiveLabel = options.positiveLabel ?? 1;
  if (!(
    typeof positiveLabel === "string" ||
    (typeof positiveLabel === "number" && Number.isFinite(positiveLabel))
  )) {
    throw new PerformanceInputError("options.positiveLabel", "must be a finite number or a string");
  }
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (typeof threshold !== "number" || !Number.isFinite(threshold)) {
    throw new PerformanceInputError(
      "options.threshold",
      `must be a finite number, got ${String(threshold)}`,
    );
  }
  const average = options.average ?? "macro";
  if (!AVERAGES.includes(average)) {
    throw new PerformanceInputError(
      "options.average",
      `must be one of ${AVERAGES.join(", ")}, got ${String(average)}`,
    );
  }
  const zeroDivision = options.zeroDivision ?? "not_computable";
  if (zeroDivision !== "not_computable" && zeroDivision !== 0 && zeroDivision !== 1) {
    throw new PerformanceInputError(
      "options.zeroDivision",
      `must be "not_computable", 0 or 1, got ${String(zeroDivision)}`,
    );
  }
  return {
    positiveLabel,
    threshold,
    classes: resolveClasses(options.classes),
    average,
    zeroDivision,
  };
}

function resolveClasses(classes: readonly Label[] | undefined): readonly Label[] | null {
  if (classes === undefined) return null;
  requireArray(classes, "options.classes");
  const arrays = [{ field: "options.classes", labels: classes }];
  const { type, source } = firstLabelType(arrays);
  const distinct = distinctLabels(arrays, type, source);
  if (distinct.size !== classes.length) {
    throw new PerformanceInputError("options.classes", "holds a class more than once");
  }
  if (classes.length < 2) {
    throw new PerformanceInputError(
      "options.classes",
      `needs at least 2 classes, got ${classes.length}`,
    );
  }
  return classes;
}

/** Throw unless `window` is an object; returns it typed as a record of unknown fields. */
export function requireWindowObject(window: unknown, field: string): Record<string, unknown> {
  if (window === null || typeof window !== "object" || Array.isArray(window)) {
    throw new PerformanceInputError(field, "must be an object with y_true and y_pred or scores");
  }
  return window as Record<string, unknown>;
}
