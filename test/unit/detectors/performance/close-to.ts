// Tolerance checks for comparing TypeScript figures with the scipy/sklearn fixtures: relative
// error against a scale (the operands' magnitude by default), with exact handling of null.

import { expect } from "vitest";

/** Assert |actual − expected| ≤ relative · max(|expected|, scale) (both null is equal too). */
export function expectClose(
  actual: number | null,
  expected: number | null,
  relative: number,
  what: string,
  scale = 0,
): void {
  if (expected === null || actual === null) {
    expect(actual, what).toBe(expected);
    return;
  }
  expect(Number.isFinite(actual), `${what}: ${actual} is not finite`).toBe(true);
  const bound = relative * Math.max(Math.abs(expected), Math.abs(actual), scale);
  const difference = Math.abs(actual - expected);
  expect(
    difference <= bound || (expected === 0 && actual === 0),
    `${what}: ${actual} vs expected ${expected} (|Δ| ${difference} > ${bound})`,
  ).toBe(true);
}

/** p-values: 1e-4 relative, values below 1e-300 (underflow) compare equal to each other. */
export function expectPValue(actual: number | null, expected: number | null, what: string): void {
  if (actual !== null && expected !== null && actual < 1e-300 && expected < 1e-300) return;
  expectClose(actual, expected, 1e-4, what);
}
