// Performance estimated before a window's labels arrive (detectors/performance/estimation): a
// binary model's `prediction` read as the positive-class probability, the estimator calibrated on
// the reference's labelled rows (fitted once per cached reference profile, so late labels of the
// reference, which give the profile new labelled rows, refit it), every window estimated from its
// scores. Multiclass events carry one prediction, not a score per class: no estimate, a reason.
import {
  NO_ESTIMATE,
  PerformanceInputError,
  estimateReason,
  estimatedPerformanceResults,
  fitEstimator,
  type BinaryEstimator,
  type EstimatedPerformanceResult,
} from "../../detectors/index.js";
import type { ModelConfig } from "../config/index.js";
import { RowBinaryReader, sql, type SqlEngine } from "../store/index.js";
import type { LabelledRow } from "./performance-evaluation.js";
import type { RowSource } from "./row-source.js";

export interface EstimationOutcome {
  /** One per metric with an estimated value (none when no estimate was made). */
  readonly results: EstimatedPerformanceResult[];
  /** Estimates below their reference band, or why there is no estimate. */
  readonly reasons: string[];
  /** Rows the estimate rests on (the window's scored rows). */
  readonly rows: number;
}

/** A window's predictions read as scores: the scores, and how many predictions are not scores. */
export interface WindowScores {
  readonly scores: Float64Array;
  readonly notScores: number;
}

/** The estimator of a reference, or why it has none. */
export type ReferenceFit =
  { readonly estimator: BinaryEstimator; readonly rows: number } | { readonly reason: string };

/** A prediction as the positive-class probability: a number in [0, 1], else undefined. */
export function scoreOf(row: Pick<LabelledRow, "prediction_value">): number | undefined {
  const value = row.prediction_value;
  return value !== null && value >= 0 && value <= 1 ? value : undefined;
}

const labelOf = (row: LabelledRow): string | number => row.y_label_value ?? row.y_label ?? "";
const hasPrediction = (row: LabelledRow) =>
  row.prediction !== null || row.prediction_value !== null;

/**
 * Fit the estimator on a reference's labelled rows with a prediction: every prediction must be a
 * score (as accuracy decay reads a binary model's predictions), at least `minRows` of them.
 */
export function fitReference(model: ModelConfig, labelled: readonly LabelledRow[]): ReferenceFit {
  if (model.task === "multiclass") {
    return {
      reason: `${NO_ESTIMATE}not available for multiclass models (events carry one prediction, not a score per class)`,
    };
  }
  const rows = labelled.filter(hasPrediction);
  const scores = new Float64Array(rows.length);
  let notScores = 0;
  rows.forEach((row, index) => {
    const score = scoreOf(row);
    if (score === undefined) notScores += 1;
    else scores[index] = score;
  });
  if (notScores > 0) {
    return {
      reason: `${NO_ESTIMATE}${notScores} of the reference's ${rows.length} labelled predictions are not scores in [0, 1]`,
    };
  }
  if (rows.length < model.minRows) {
    return {
      reason: `${NO_ESTIMATE}the reference has ${rows.length} labelled rows with a score (fewer than minRows ${model.minRows})`,
    };
  }
  try {
    const estimator = fitEstimator(
      { task: "binary", scores, labels: rows.map(labelOf) },
      {
        threshold: model.threshold,
        ...(model.positiveLabel !== undefined ? { positiveLabel: model.positiveLabel } : {}),
      },
    );
    return { estimator, rows: rows.length };
  } catch (error) {
    if (!(error instanceof PerformanceInputError)) throw error;
    return { reason: `${NO_ESTIMATE}${error.message}` };
  }
}

/**
 * Fits per reference profile: keyed by the profile's labelled rows (a new array whenever the
 * reference's labels change, see ReferenceProfiles), then by the settings the fit depends on.
 * Weak: a profile dropped from the profiles' cache takes its fits with it.
 */
const FITS = new WeakMap<readonly LabelledRow[], Map<string, ReferenceFit>>();

export function cachedReferenceFit(
  model: ModelConfig,
  labelled: readonly LabelledRow[],
): ReferenceFit {
  const key = JSON.stringify([model.task, model.threshold, model.positiveLabel, model.minRows]);
  let byKey = FITS.get(labelled);
  if (byKey === undefined) FITS.set(labelled, (byKey = new Map()));
  let fit = byKey.get(key);
  if (fit === undefined) byKey.set(key, (fit = fitReference(model, labelled)));
  return fit;
}

/** The window's predictions as scores (RowBinary: a million scores travel as 8 bytes each). */
export async function windowScores(engine: SqlEngine, source: RowSource): Promise<WindowScores> {
  const reply = await engine.queryRowBinary(
    sql`SELECT toString(countIf(isNotNull(prediction) AND NOT is_score)) AS not_scores,
    groupArrayIf(assumeNotNull(prediction_value), is_score) AS scores
  FROM (SELECT prediction, isNotNull(prediction_value) AND assumeNotNull(prediction_value) >= 0
      AND assumeNotNull(prediction_value) <= 1 AS is_score, prediction_value
    FROM ${source.subquery})`,
  );
  const reader = new RowBinaryReader(reply);
  const notScores = Number(reader.string());
  return { scores: reader.float64Array(), notScores };
}

/** Estimate one window from its scores; `nLabelled`: its labelled rows so far. */
export function estimateWindow(
  fit: ReferenceFit,
  window: WindowScores,
  nLabelled: number,
): EstimationOutcome {
  if ("reason" in fit) return { results: [], reasons: [fit.reason], rows: 0 };
  const rows = window.scores.length;
  if (window.notScores > 0) {
    const reason = `${NO_ESTIMATE}${window.notScores} of the window's ${rows + window.notScores} predictions are not scores in [0, 1]`;
    return { results: [], reasons: [reason], rows: 0 };
  }
  if (rows === 0) {
    return { results: [], reasons: [`${NO_ESTIMATE}the window has no predictions`], rows: 0 };
  }
  const estimate = fit.estimator.estimate({ scores: window.scores });
  const spread = fit.estimator.spread(rows);
  const referenceValues: Record<string, number | null> = {};
  for (const [metric, measured] of Object.entries(spread.metrics)) {
    referenceValues[metric] = measured?.mean ?? null;
  }
  const results = estimatedPerformanceResults(estimate, referenceValues, nLabelled);
  const reasons = results.flatMap((result) => estimateReason(result) ?? []);
  return { results, reasons, rows };
}
