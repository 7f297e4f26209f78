// Every figure of comparePerformance against scikit-learn/scipy/numpy (fixtures written by
// scripts/fixtures/performance.py): values and deltas to 1e-9 relative, statistics and degrees
// of freedom to 1e-9, p-values to 1e-4, row counts and verdicts exactly.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

import { comparePerformance } from "../../../../detectors/performance/index.js";
import type {
  ComparePerformanceOptions,
  MetricComparison,
  PerformanceComparison,
  PerformanceTask,
} from "../../../../detectors/performance/index.js";
import { expectClose, expectPValue } from "./close-to.js";
import type { GeneratedWindow, GeneratorSpec } from "./generated-windows.js";
import { generateWindow } from "./generated-windows.js";

type ExpectedMetric = Omit<MetricComparison, "higher_is_better" | "reason">;

interface ExpectedComparison {
  n: number;
  n_reference: number;
  degraded: boolean;
  metrics: ExpectedMetric[];
}

type WindowInput = Parameters<typeof comparePerformance>[1];

interface FixtureCase<W> {
  name: string;
  task: PerformanceTask;
  options: ComparePerformanceOptions;
  current: W;
  reference: W;
  expected: ExpectedComparison;
}

interface GeneratedSide {
  generator: GeneratorSpec;
  checksum: Record<string, { sum: number; first: number[] }>;
}

function loadFixture<T>(name: string): T {
  const url = new URL(`../../../fixtures/performance/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as T;
}

function expectMatchesFixture(actual: PerformanceComparison, expected: ExpectedComparison): void {
  expect(actual.n).toBe(expected.n);
  expect(actual.n_reference).toBe(expected.n_reference);
  expect(actual.metrics.map((metric) => metric.metric)).toEqual(
    expected.metrics.map((metric) => metric.metric),
  );
  actual.metrics.forEach((metric, index) => {
    const want = expected.metrics[index];
    const what = (field: string): string => `${metric.metric}.${field}`;
    const scale = Math.max(Math.abs(want.value ?? 0), Math.abs(want.reference_value ?? 0));
    expectClose(metric.value, want.value, 1e-9, what("value"));
    expectClose(metric.reference_value, want.reference_value, 1e-9, what("reference_value"));
    expectClose(metric.delta, want.delta, 1e-9, what("delta"), scale);
    expect(metric.test, what("test")).toBe(want.test);
    expectClose(metric.statistic, want.statistic, 1e-9, what("statistic"), 1);
    expectClose(
      metric.degrees_of_freedom,
      want.degrees_of_freedom,
      1e-9,
      what("degrees_of_freedom"),
    );
    expectPValue(metric.p_value, want.p_value, what("p_value"));
    expect(metric.n, what("n")).toBe(want.n);
    expect(metric.n_reference, what("n_reference")).toBe(want.n_reference);
    expect(metric.degraded, what("degraded")).toBe(want.degraded);
    // Whatever is missing is explained, never a NaN in disguise.
    if (metric.value === null || metric.reference_value === null || metric.p_value === null) {
      expect(metric.reason, what("reason")).toMatch(/\w/);
    }
  });
  expect(actual.degraded).toBe(expected.degraded);
}

const comparisons = loadFixture<{ cases: FixtureCase<WindowInput>[] }>("comparisons.json");

describe("comparePerformance matches scikit-learn / scipy", () => {
  it.each(comparisons.cases.map((fixture) => [fixture.name, fixture] as const))(
    "%s",
    (_name, fixture) => {
      const result = comparePerformance(
        fixture.task,
        fixture.current,
        fixture.reference,
        fixture.options,
      );
      expectMatchesFixture(result, fixture.expected);
    },
  );
});

const generated = loadFixture<{ cases: FixtureCase<GeneratedSide>[] }>("generated.json");

function regenerate(side: GeneratedSide): GeneratedWindow {
  const window = generateWindow(side.generator);
  const columns = window as unknown as Record<string, number[] | number[][]>;
  // The recipe must reproduce Python's rows exactly, or the comparison below means nothing.
  for (const [key, check] of Object.entries(side.checksum)) {
    const values = columns[key].flat();
    expect(values.slice(0, 3), `${key} first rows`).toEqual(check.first);
    const sum = values.reduce((total, value) => total + value, 0);
    expectClose(sum, check.sum, 1e-12, `${key} sum`);
  }
  return window;
}

describe("comparePerformance on 20k-row generated windows", () => {
  it.each(generated.cases.map((fixture) => [fixture.name, fixture] as const))(
    "%s",
    (_name, fixture) => {
      const current = regenerate(fixture.current);
      const reference = regenerate(fixture.reference);
      const result = comparePerformance(fixture.task, current, reference, fixture.options);
      expectMatchesFixture(result, fixture.expected);
    },
  );
});
