// The one registry of drift detectors: a descriptor per detector (name, display name, column
// kinds, default threshold, direction) and how to read its value from a column's comparison.
// Rules, overrides and the service select detectors by name through `getDetector`, whose
// errors list the valid names.
import type { CategoricalDrift, ColumnKind, NumericDrift } from "./types.js";

/** "p_value": lower means drift (drifted when value < threshold); "distance": higher means
 * drift (drifted when value ≥ threshold). */
export type DetectorDirection = "p_value" | "distance";

export interface DetectorDescriptor {
  /** Registry key, also the test name in verdicts and overrides. */
  name: string;
  displayName: string;
  columnKinds: readonly ColumnKind[];
  /** Threshold used when a rule names the detector without one; null = must be given. */
  defaultThreshold: number | null;
  direction: DetectorDirection;
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

const pValueOf = (key: "ks" | "chi2") =>
  field(key, (result) => (result[key] as { p_value?: unknown } | undefined)?.p_value);

const DESCRIPTORS: readonly DetectorDescriptor[] = [
  {
    name: "ks",
    displayName: "Kolmogorov-Smirnov two-sample test (p-value)",
    columnKinds: ["numeric"],
    defaultThreshold: 0.05,
    direction: "p_value",
    valueOf: pValueOf("ks"),
  },
  {
    name: "wasserstein_normed",
    displayName: "Wasserstein distance / reference std",
    columnKinds: ["numeric"],
    defaultThreshold: 0.1,
    direction: "distance",
    valueOf: field("wasserstein_normed", (result) => result.wasserstein_normed),
  },
  {
    name: "wasserstein",
    displayName: "Wasserstein distance (column units)",
    columnKinds: ["numeric"],
    defaultThreshold: null,
    direction: "distance",
    valueOf: field("wasserstein", (result) => result.wasserstein),
  },
  {
    name: "chi2",
    displayName: "Chi-squared test of homogeneity (p-value)",
    columnKinds: ["categorical"],
    defaultThreshold: 0.05,
    direction: "p_value",
    valueOf: pValueOf("chi2"),
  },
  {
    name: "psi",
    displayName: "Population Stability Index",
    columnKinds: ["numeric", "categorical"],
    defaultThreshold: 0.2,
    direction: "distance",
    valueOf: field("psi", (result) => result.psi),
  },
  {
    name: "js",
    displayName: "Jensen-Shannon distance (base 2)",
    columnKinds: ["numeric", "categorical"],
    defaultThreshold: 0.1,
    direction: "distance",
    valueOf: field("js", (result) => result.js),
  },
];

const BY_NAME = new Map(DESCRIPTORS.map((descriptor) => [descriptor.name, descriptor]));

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
