// Drift of one window against its reference: per feature the DESIGN figures — exactly from the
// window's values when it has at most exactRowLimit rows, else from per-bin counts ClickHouse
// computes at the reference's fine edges — then the drift rules (with the model's overrides),
// the drift share, and data quality (missing, outside the reference range, unseen categories).
import {
  compareCategorical,
  compareNumeric,
  compareNumericHistogram,
  evaluateDrift,
  type CategoricalDrift,
  type ColumnInput,
  type ColumnRuleOverride,
  type NumericDrift,
} from "../../detectors/index.js";
import type { ModelConfig } from "../config/schema/models.js";
import type { SqlEngine } from "../store/engine.js";
import type { ReferenceProfile } from "./reference-profile.js";
import type { ResultRow } from "./result-rows.js";
import type { RowSource } from "./row-source.js";
import { numericHistograms } from "./server-histograms.js";
import { categoryCounts, numericValues } from "./window-data.js";

/** The feature name of model-level rows (drift share, row count) in drift_results. */
export const DATASET_FEATURE = "_dataset";
const PSI_REPORT_THRESHOLD = 0.2;

export interface DriftOutcome {
  readonly rows: ResultRow[];
  readonly driftShare: number | null;
  readonly drifted: boolean;
  readonly reasons: string[];
  /** "exact" or "binned". */
  readonly path: "exact" | "binned";
  /** Features seen in the window that the reference does not have. */
  readonly withoutReference: string[];
}

interface FeatureComparison {
  readonly column: ColumnInput;
  readonly quality: ResultRow[];
}

/** Compare the window (`rowCount` rows in `current`) with the reference profile. */
export async function evaluateWindowDrift(
  engine: SqlEngine,
  model: ModelConfig,
  reference: ReferenceProfile,
  current: RowSource,
  rowCount: number,
): Promise<DriftOutcome> {
  const categoricalNumbers = declaredCategorical(model);
  const exact = rowCount <= model.exactRowLimit;
  // Category counts are read alongside the numeric values or histograms.
  const categoriesRead = categoryCounts(engine, current, categoricalNumbers);
  categoriesRead.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
  const comparisons = new Map<string, FeatureComparison>();
  const withoutReference: string[] = [];

  if (exact) {
    const values = await numericValues(engine, current);
    for (const [feature, sample] of values) {
      if (categoricalNumbers.includes(feature) || sample.length === 0) continue;
      const referenceFeature = reference.numeric.get(feature);
      if (referenceFeature === undefined) {
        withoutReference.push(feature);
        continue;
      }
      let outside = 0;
      for (const value of sample) {
        if (value < referenceFeature.min || value > referenceFeature.max) outside++;
      }
      const result = compareNumeric(referenceFeature.sorted, sample);
      comparisons.set(feature, {
        column: { kind: "numeric", nReference: referenceFeature.sorted.length, result },
        quality: [
          qualityRow(feature, "missing_share", 1 - sample.length / rowCount),
          qualityRow(feature, "out_of_range_share", outside / sample.length),
        ],
      });
    }
  } else {
    const histograms = await numericHistograms(
      engine,
      current,
      [...reference.numeric].map(([feature, referenceFeature]) => ({
        feature,
        edges: referenceFeature.fineEdges,
        range: referenceFeature,
      })),
    );
    for (const [feature, referenceFeature] of reference.numeric) {
      const histogram = histograms.get(feature);
      if (histogram === undefined) continue;
      const result = compareNumericHistogram({
        edges: referenceFeature.fineEdges,
        referenceCounts: referenceFeature.fineCounts,
        currentCounts: histogram.counts,
        decileEdges: referenceFeature.decileEdges,
        range: {
          min: Math.min(referenceFeature.min, histogram.min),
          max: Math.max(referenceFeature.max, histogram.max),
        },
        referenceStd: referenceFeature.std,
      });
      comparisons.set(feature, {
        column: { kind: "numeric", nReference: referenceFeature.sorted.length, result },
        quality: [
          qualityRow(feature, "missing_share", 1 - histogram.n / rowCount),
          qualityRow(feature, "out_of_range_share", histogram.outsideRange / histogram.n),
        ],
      });
    }
  }

  for (const [feature, counts] of await categoriesRead) {
    if (comparisons.has(feature)) continue;
    const referenceCounts = reference.categorical.get(feature);
    if (referenceCounts === undefined) {
      withoutReference.push(feature);
      continue;
    }
    let present = 0;
    let unseen = 0;
    for (const [category, count] of counts) {
      present += count;
      if (!referenceCounts.has(category)) unseen += count;
    }
    if (present === 0) continue;
    const result = compareCategorical(referenceCounts, counts);
    let nReference = 0;
    for (const count of referenceCounts.values()) nReference += count;
    comparisons.set(feature, {
      column: { kind: "categorical", nReference, result },
      quality: [
        qualityRow(feature, "missing_share", 1 - present / rowCount),
        qualityRow(feature, "new_category_share", unseen / present),
      ],
    });
  }

  const columns: Record<string, ColumnInput> = {};
  for (const [feature, comparison] of comparisons) columns[feature] = comparison.column;
  const verdict = evaluateDrift(columns, {
    driftShareThreshold: model.driftShareThreshold,
    benjaminiHochberg: model.benjaminiHochberg,
    overrides: overridesOf(model),
  });

  const rows: ResultRow[] = [];
  const reasons: string[] = [];
  for (const [feature, comparison] of [...comparisons].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const decided = verdict.columns[feature]!;
    const decidingMetric = metricOfTest(decided.test);
    for (const [metric, value] of figures(comparison.column.result)) {
      if (metric === decidingMetric) {
        rows.push({
          feature,
          metric,
          value: decided.value,
          threshold: decided.threshold,
          drifted: decided.drifted,
        });
      } else if (metric === "psi") {
        rows.push({
          feature,
          metric,
          value,
          threshold: PSI_REPORT_THRESHOLD,
          drifted: decided.psi_drifted,
        });
      } else {
        rows.push({ feature, metric, value, threshold: 0, drifted: false });
      }
    }
    rows.push(...comparison.quality);
    if (decided.drifted) {
      const relation = decided.test === "ks" || decided.test === "chi2" ? "<" : "≥";
      reasons.push(
        `${feature}: ${decidingMetric} ${formatFigure(decided.value)} ${relation} ${decided.threshold}`,
      );
    }
  }
  const judged = comparisons.size > 0;
  rows.push({
    feature: DATASET_FEATURE,
    metric: "drift_share",
    value: judged ? verdict.drift_share : Number.NaN,
    threshold: model.driftShareThreshold,
    drifted: verdict.drifted,
  });
  return {
    rows,
    driftShare: judged ? verdict.drift_share : null,
    drifted: verdict.drifted,
    reasons,
    path: exact ? "exact" : "binned",
    withoutReference: withoutReference.sort(),
  };
}

function qualityRow(feature: string, metric: string, value: number): ResultRow {
  return { feature, metric, value, threshold: 0, drifted: false };
}

function declaredCategorical(model: ModelConfig): string[] {
  return Object.entries(model.features)
    .filter(([, settings]) => settings.kind === "categorical")
    .map(([feature]) => feature)
    .sort();
}

function overridesOf(model: ModelConfig): Record<string, ColumnRuleOverride> {
  const overrides: Record<string, ColumnRuleOverride> = {};
  for (const [feature, settings] of Object.entries(model.features)) {
    if (settings.test === undefined && settings.threshold === undefined) continue;
    overrides[feature] = {
      ...(settings.test !== undefined ? { test: settings.test } : {}),
      ...(settings.threshold !== undefined ? { threshold: settings.threshold } : {}),
    };
  }
  return overrides;
}

/** drift_results metric name of a registry test's deciding figure. */
export function metricOfTest(test: string): string {
  if (test === "ks") return "ks_p_value";
  if (test === "chi2") return "chi2_p_value";
  return test;
}

function figures(result: NumericDrift | CategoricalDrift): [string, number][] {
  if ("ks" in result) {
    return [
      ["psi", result.psi],
      ["js", result.js],
      ["ks_statistic", result.ks.statistic],
      ["ks_p_value", result.ks.p_value],
      ["wasserstein", result.wasserstein],
      ["wasserstein_normed", result.wasserstein_normed],
    ];
  }
  return [
    ["psi", result.psi],
    ["js", result.js],
    ["chi2_statistic", result.chi2.statistic],
    ["chi2_p_value", result.chi2.p_value],
  ];
}

function formatFigure(value: number): string {
  return Math.abs(value) >= 0.001 || value === 0 ? value.toFixed(3) : value.toExponential(2);
}
