// Numeric per-row inputs (regression targets and predictions, classifier scores) checked to be
// finite numbers and copied into Float64Arrays; every failure names the field and the row.

import { PerformanceInputError } from "./errors.js";

/** A finite-number copy of `values`, or a PerformanceInputError naming `field[i]`. */
export function finiteNumbers(values: ArrayLike<number>, field: string): Float64Array {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new PerformanceInputError(field, "must be an array of numbers");
  }
  const copy = new Float64Array(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value: unknown = values[i];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new PerformanceInputError(
        `${field}[${i}]`,
        `must be a finite number, got ${typeof value === "number" ? value : (JSON.stringify(value) ?? typeof value)}`,
      );
    }
    copy[i] = value;
  }
  return copy;
}

/** Throw unless an array-like is present (not null/undefined) with a numeric length. */
export function requireArray(values: unknown, field: string): ArrayLike<unknown> {
  if (
    values === null ||
    typeof values !== "object" ||
    typeof (values as { length?: unknown }).length !== "number"
  ) {
    throw new PerformanceInputError(field, "must be an array");
  }
  return values as ArrayLike<unknown>;
}

/** Throw unless two per-row arrays have the same length. */
export function requireSameLength(
  length: number,
  expected: number,
  field: string,
  expectedField: string,
): void {
  if (length !== expected) {
    throw new PerformanceInputError(
      field,
      `has ${length} rows but ${expectedField} has ${expected}`,
    );
  }
}
