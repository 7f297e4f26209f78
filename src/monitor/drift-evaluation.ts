// Drift of one window against its reference: per feature the DESIGN figures — exactly from the
// window's values when it has at most exactRowLimit rows, else from per-bin counts ClickHouse
// computes at the reference's fine edges — then the drift rules (with the model's overrides),
// the drift share, and data quality (missing, outside the reference range, unseen categories).
import {
  QUALITY_METRIC,
  columnDriftResults,
  compareCategorical,
  compareNumeric,
  compareNumericHistogram,
  driftReason,
  driftShareResult,
  evaluateDrift,
  qualityResult,
  type ColumnInput,
  type ColumnRuleOverride,
  type DriftTableResult,
  type QualityResult,
} from "../../detectors/index.js";
import type { ModelConfig } from "../config/index.js";
import type { SqlEngine } from "../store/index.js";
import type { ReferenceProfile } from "./reference-profile.js";
import type { RowSource } from "./row-source.js";
import { numericHistograms, type ServerHistogram } from "./server-histograms.js";
import type { StoredAggregates } from "./stored-window.js";
import { categoryCounts, numericValues } from "./window-data.js";

export { DATASET_FEATURE } from "./result-rows.js";

export interface DriftOutcome {
  /** Per feature (by name) its drift figures and data quality, then the drift share. */
  readonly results: DriftTableResult[];
  readonly driftShare: number | null;
  readonly drifted: boolean;
  readonly reasons: string[];
  /** "exact" or "binned". */
  readonly path: "exact" | "binned";
  /** Binned path: features whose counts came from the stored hourly histograms (no scan). */
  readonly storedFeatures: number;
  /** Features seen in the window that the reference does not have. */
  readonly withoutReference: string[];
}

interface FeatureComparison {
  readonly column: ColumnInput;
  readonly quality: QualityResult[];
}

/**
 * Compare the window (`rowCount` rows in `current`) with the reference profile. With `stored`
 * (the window's stored aggregates, when its census matched) the binned path reads those instead
 * of scanning the rows.
 */
export async function evaluateWindowDrift(
  engine: SqlEngine,
  model: ModelConfig,
  reference: ReferenceProfile,
  current: RowSource,
  rowCount: number,
  stored?: StoredAggregates,
): Promise<DriftOutcome> {
  const categoricalNumbers = declaredCategorical(model);
  const exact = rowCount <= model.exactRowLimit;
  // Category counts are read alongside the numeric values or histograms.
  const categoriesRead = windowCategories(
    engine,
    current,
    categoricalNumbers,
    exact ? undefined : stored,
  );
  categoriesRead.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
  const comparisons = new Map<string, FeatureComparison>();
  const withoutReference: string[] = [];
  let storedFeatures = 0;

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
      if (referenceFeature.sorted === undefined) {
        throw new Error(`the reference profile of ${feature} was loaded without its values`);
      }
      const result = compareNumeric(referenceFeature.sorted, sample);
      comparisons.set(feature, {
        column: { kind: "numeric", nReference: referenceFeature.n, result },
        quality: [
          qualityResult(feature, QUALITY_METRIC.missingShare, 1 - sample.length / rowCount),
          qualityResult(feature, QUALITY_METRIC.outOfRangeShare, outside / sample.length),
        ],
      });
    }
  } else {
    const histograms = await binnedHistograms(engine, reference, current, stored);
    storedFeatures = histograms.stored;
    for (const [feature, referenceFeature] of reference.numeric) {
      const histogram = histograms.counts.get(feature);
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
        column: { kind: "numeric", nReference: referenceFeature.n, result },
        quality: [
          qualityResult(feature, QUALITY_METRIC.missingShare, 1 - histogram.n / rowCount),
          qualityResult(
            feature,
            QUALITY_METRIC.outOfRangeShare,
            histogram.outsideRange / histogram.n,
          ),
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
        qualityResult(feature, QUALITY_METRIC.missingShare, 1 - present / rowCount),
        qualityResult(feature, QUALITY_METRIC.newCategoryShare, unseen / present),
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

  const results: DriftTableResult[] = [];
  const reasons: string[] = [];
  for (const [feature, comparison] of [...comparisons].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const decided = verdict.columns[feature]!;
    results.push(...columnDriftResults(feature, comparison.column.result, decided));
    results.push(...comparison.quality);
    if (decided.drifted) reasons.push(driftReason(feature, decided));
  }
  const judged = comparisons.size > 0;
  results.push(
    driftShareResult(
      judged ? verdict.drift_share : Number.NaN,
      model.driftShareThreshold,
      verdict.drifted,
    ),
  );
  return {
    results,
    driftShare: judged ? verdict.drift_share : null,
    drifted: verdict.drifted,
    reasons,
    path: exact ? "exact" : "binned",
    storedFeatures,
    withoutReference: withoutReference.sort(),
  };
}

/**
 * The binned path's per-feature counts: from the stored hourly histograms where the window can
 * use them, the rest (or all) from one scan of the window's rows.
 */
async function binnedHistograms(
  engine: SqlEngine,
  reference: ReferenceProfile,
  current: RowSource,
  aggregates: StoredAggregates | undefined,
): Promise<{ counts: Map<string, ServerHistogram>; stored: number }> {
  const requests = [...reference.numeric].map(([feature, referenceFeature]) => ({
    feature,
    edges: referenceFeature.fineEdges,
    range: referenceFeature,
  }));
  const stored = await aggregates?.histograms(requests);
  if (stored !== undefined && stored.scan.length === 0) {
    return { counts: stored.histograms, stored: stored.histograms.size };
  }
  const scanned = await numericHistograms(
    engine,
    current,
    stored === undefined
      ? requests
      : requests.filter((request) => stored.scan.includes(request.feature)),
  );
  for (const [feature, histogram] of stored?.histograms ?? []) scanned.set(feature, histogram);
  return { counts: scanned, stored: stored?.histograms.size ?? 0 };
}

/** Category counts: stored ones (plus a scan for numbers declared categorical), else a scan. */
async function windowCategories(
  engine: SqlEngine,
  current: RowSource,
  categoricalNumbers: readonly string[],
  stored: StoredAggregates | undefined,
): Promise<Map<string, Map<string, number>>> {
  if (stored === undefined) return categoryCounts(engine, current, categoricalNumbers);
  const [counts, numbers] = await Promise.all([
    stored.categories(),
    categoricalNumbers.length > 0
      ? categoryCounts(engine, current, categoricalNumbers, { text: false })
      : Promise.resolve(new Map<string, Map<string, number>>()),
  ]);
  for (const [feature, values] of numbers) counts.set(feature, values);
  return counts;
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
