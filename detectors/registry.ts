// The one registry of drift detectors: a descriptor per detector (name, display name, column
// kinds, default threshold, direction, the result metrics it reports and the one that decides,
// its report threshold), the function that computes it, and how to read its deciding value
// from a column's full comparison. Rules, overrides and the service select detectors by
// name through `getDetector`, whose errors list the valid names.
import { binCountsSorted, referenceBinEdges } from "./binning/quantile-bins.js";
import { chiSquaredTest } from "./chi-squared.js";
import { jensenShannonDistance } from "./jensen-shannon.js";
import { ksTestSorted } from "./ks/ks-test.js";
import { populationStabilityIndex } from "./psi.js";
import type { CategoricalDrift, ColumnKind, NumericDrift } from "./types.js";
import {
  DRIFT_METRIC,
  DRIFT_TEST,
  PSI_REPORT_THRESHOLD,
  type DriftMetricName,
  type DriftTestName,
} from "./vocabulary/metric-names.js";
import {
  normedWasserstein,
  populationStandardDeviation,
  wassersteinDistanceSorted,
} from "./wasserstein.js";

/** "p_value": lower means drift (drifted when value < threshold); "distance": higher means
 * drift (drifted when value ≥ threshold). */
export type DetectorDirection = "p_value" | "distance";

/** What a detector runs on: sorted numeric samples, or aligned per-category count vectors. */
export type DetectorInput =
  | { kind: "numeric"; sortedReference: Float64Array; sortedCurrent: Float64Array }
  | { kind: "categorical"; referenceCounts: ArrayLike<number>; currentCounts: ArrayLike<number> };

/** A detector's figure (`value`, what the threshold applies to) and, for tests, the statistic. */
export interface DetectorOutput {
  value: number;
  statistic?: number;
  p_value?: number;
}

export interface DetectorDescriptor {
  /** Registry key, also the test name in verdicts and overrides. */
  name: DriftTestName;
  displayName: string;
  columnKinds: readonly ColumnKind[];
  /** Threshold used when a rule names the detector without one; null = must be given. */
  defaultThreshold: number | null;
  direction: DetectorDirection;
  /** The result metrics (drift_results rows) this detector's figures appear as. */
  resultMetrics: readonly DriftMetricName[];
  /** Which of `resultMetrics` carries the verdict when this detector decides a column. */
  decidingMetric: DriftMetricName;
  /** Judged at this threshold and reported next to whichever test decides; null = not reported. */
  reportThreshold: number | null;
  /** Computes the detector on one column (input kind must be one of `columnKinds`). */
  compute(input: DetectorInput): DetectorOutput;
  /** The figure this detector decides on, read from a column's comparison result. */
  valueOf(result: NumericDrift | CategoricalDrift): number;
}

function field(name: string, read: (result: Record<string, unknown>) => unknown) {
  return (result: NumericDrift | CategoricalDrift): number => {
    const value = read(result as unknown as Record<string, unknown>);
    if (typeof value !== "number")
      throw new TypeError(`detector ${name}: result has no ${name} figure`);
    return value;
  };
}

const pValueOf = (key: typeof DRIFT_TEST.ks | typeof DRIFT_TEST.chi2) =>
  field(key, (result) => (result[key] as { p_value?: unknown } | undefined)?.p_value);

/** Numeric input binned at the reference deciles, or categorical counts as they are. */
function binnedCounts(input: DetectorInput): [ArrayLike<number>, ArrayLike<number>] {
  if (input.kind === "categorical") return [input.referenceCounts, input.currentCounts];
  const edges = referenceBinEdges(input.sortedReference);
  return [
    binCountsSorted(input.sortedReference, edges),
    binCountsSorted(input.sortedCurrent, edges),
  ];
}

function numericInput(
  name: string,
  input: DetectorInput,
): { reference: Float64Array; current: Float64Array } {
  if (input.kind !== "numeric") throw new RangeError(`drift test "${name}" needs numeric samples`);
  return { reference: input.sortedReference, current: input.sortedCurrent };
}

const DESCRIPTORS: readonly DetectorDescriptor[] = [
  {
    name: DRIFT_TEST.ks,
    displayName: "Kolmogorov-Smirnov two-sample test (p-value)",
    columnKinds: ["numeric"],
    defaultThreshold: 0.05,
    direction: "p_value",
    resultMetrics: [DRIFT_METRIC.ksStatistic, DRIFT_METRIC.ksPValue],
    decidingMetric: DRIFT_METRIC.ksPValue,
    reportThreshold: null,
    compute: (input) => {
      const { reference, current } = numericInput(DRIFT_TEST.ks, input);
      const result = ksTestSorted(reference, current);
      return { value: result.p_value, statistic: result.statistic, p_value: result.p_value };
    },
    valueOf: pValueOf(DRIFT_TEST.ks),
  },
  {
    name: DRIFT_TEST.wassersteinNormed,
    displayName: "Wasserstein distance / reference std",
    columnKinds: ["numeric"],
    defaultThreshold: 0.1,
    direction: "distance",
    resultMetrics: [DRIFT_METRIC.wassersteinNormed],
    decidingMetric: DRIFT_METRIC.wassersteinNormed,
    reportThreshold: null,
    compute: (input) => {
      const { reference, current } = numericInput(DRIFT_TEST.wassersteinNormed, input);
      const distance = wassersteinDistanceSorted(reference, current);
      return { value: normedWasserstein(distance, populationStandardDeviation(reference)) };
    },
    valueOf: field(DRIFT_TEST.wassersteinNormed, (result) => result.wasserstein_normed),
  },
  {
    name: DRIFT_TEST.wasserstein,
    displayName: "Wasserstein distance (column units)",
    columnKinds: ["numeric"],
    defaultThreshold: null,
    direction: "distance",
    resultMetrics: [DRIFT_METRIC.wasserstein],
    decidingMetric: DRIFT_METRIC.wasserstein,
    reportThreshold: null,
    compute: (input) => {
      const { reference, current } = numericInput(DRIFT_TEST.wasserstein, input);
      return { value: wassersteinDistanceSorted(reference, current) };
    },
    valueOf: field(DRIFT_TEST.wasserstein, (result) => result.wasserstein),
  },
  {
    name: DRIFT_TEST.chi2,
    displayName: "Chi-squared test of homogeneity (p-value)",
    columnKinds: ["categorical"],
    defaultThreshold: 0.05,
    direction: "p_value",
    resultMetrics: [DRIFT_METRIC.chi2Statistic, DRIFT_METRIC.chi2PValue],
    decidingMetric: DRIFT_METRIC.chi2PValue,
    reportThreshold: null,
    compute: (input) => {
      if (input.kind !== "categorical")
        throw new RangeError(`drift test "${DRIFT_TEST.chi2}" needs category counts`);
      const result = chiSquaredTest(input.referenceCounts, input.currentCounts);
      return { value: result.p_value, statistic: result.statistic, p_value: result.p_value };
    },
    valueOf: pValueOf(DRIFT_TEST.chi2),
  },
  {
    name: DRIFT_TEST.psi,
    displayName: "Population Stability Index",
    columnKinds: ["numeric", "categorical"],
    defaultThreshold: 0.2,
    direction: "distance",
    resultMetrics: [DRIFT_METRIC.psi],
    decidingMetric: DRIFT_METRIC.psi,
    reportThreshold: PSI_REPORT_THRESHOLD,
    compute: (input) => ({ value: populationStabilityIndex(...binnedCounts(input)) }),
    valueOf: field(DRIFT_TEST.psi, (result) => result.psi),
  },
  {
    name: DRIFT_TEST.js,
    displayName: "Jensen-Shannon distance (base 2)",
    columnKinds: ["numeric", "categorical"],
    defaultThreshold: 0.1,
    direction: "distance",
    resultMetrics: [DRIFT_METRIC.js],
    decidingMetric: DRIFT_METRIC.js,
    reportThreshold: null,
    compute: (input) => ({ value: jensenShannonDistance(...binnedCounts(input)) }),
    valueOf: field(DRIFT_TEST.js, (result) => result.js),
  },
];

const BY_NAME = new Map<string, DetectorDescriptor>(
  DESCRIPTORS.map((descriptor) => [descriptor.name, descriptor]),
);

/** Every registered detector, in registry order. */
export function listDetectors(kind?: ColumnKind): readonly DetectorDescriptor[] {
  return kind === undefined
    ? DESCRIPTORS
    : DESCRIPTORS.filter((descriptor) => descriptor.columnKinds.includes(kind));
}

/** The detector named `name`; with `kind`, it must also apply to that column kind. */
export function getDetector(name: string, kind?: ColumnKind): DetectorDescriptor {
  const descriptor = BY_NAME.get(name);
  if (descriptor === undefined) {
    throw new RangeError(
      `unknown drift test "${name}"; valid tests: ${DESCRIPTORS.map((d) => d.name).join(", ")}`,
    );
  }
  if (kind !== undefined && !descriptor.columnKinds.includes(kind)) {
    const valid = listDetectors(kind).map((d) => d.name);
    throw new RangeError(
      `drift test "${name}" does not apply to ${kind} columns; valid tests: ${valid.join(", ")}`,
    );
  }
  return descriptor;
}

/** Whether `value` counts as drift for this detector at `threshold`. */
export function isDrift(descriptor: DetectorDescriptor, value: number, threshold: number): boolean {
  return descriptor.direction === "p_value" ? value < threshold : value >= threshold;
}
