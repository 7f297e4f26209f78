// Evaluates one model version over one window: drift (with data quality), volume against the
// reference's rate, performance estimated from the scores (before labels arrive), label coverage
// and accuracy decay; writes every result row and the window's record; returns the summary and
// the alert engine's observations.
import { testHook, testHooksActive, type Logger } from "../util/index.js";
import {
  VOLUME_METRIC,
  toObservations,
  volumeResult,
  type DriftTableResult,
  type Observation,
} from "../../detectors/index.js";
import type { SqlEngine } from "../store/index.js";
import { evaluateWindowDrift, type DriftOutcome } from "./drift-evaluation.js";
import type { ModelSettings } from "./model-settings.js";
import type { EvaluationSummary } from "./operations.js";
import {
  evaluateWindowPerformance,
  labelledRowsOf,
  type PerformanceOutcome,
} from "./performance-evaluation.js";
import {
  cachedReferenceFit,
  estimateWindow,
  windowScores,
  type EstimationOutcome,
} from "./performance-estimation.js";
import type { ReferenceProfiles } from "./reference-profile.js";
import { referenceSource, type ReferenceStore } from "./reference-store.js";
import {
  driftResultRow,
  performanceResultRow,
  writeDriftRows,
  writePerformanceRows,
  writeWindowRecord,
  type WindowKey,
  type WindowRecord,
} from "./result-rows.js";
import { predictionsSource } from "./row-source.js";
import { readStoredWindow } from "./stored-window.js";
import { settleSource } from "./window-data.js";

export interface WindowEvaluation {
  readonly summary: EvaluationSummary;
  readonly record: WindowRecord;
  readonly drift?: DriftOutcome;
  readonly performance?: PerformanceOutcome;
  readonly estimation?: EstimationOutcome;
  readonly observations: Observation[];
  readonly durationSeconds: number;
}

export interface WindowEvaluatorDeps {
  readonly engine: SqlEngine;
  readonly database: string;
  readonly references: ReferenceStore;
  readonly profiles: ReferenceProfiles;
  readonly logger: Logger;
  readonly now: () => number;
}

export async function evaluateWindow(
  deps: WindowEvaluatorDeps,
  settings: ModelSettings,
  key: WindowKey,
  options: { readonly performance: boolean },
): Promise<WindowEvaluation> {
  const began = deps.now();
  const { engine, database } = deps;
  const model = settings.config;
  const window = predictionsSource(
    database,
    key.model,
    key.modelVersion,
    key.windowStart,
    key.windowEnd,
  );
  // The stored aggregates are read while the census runs; used when the census matches.
  const storedRead =
    window.window !== undefined ? readStoredWindow(engine, window.window) : undefined;
  const { source: current, rows: rowCount, census } = await settleSource(engine, window);
  // The window's stored aggregates, when the views counted exactly its events.
  const stored = census !== undefined ? await storedRead?.verify(census) : undefined;
  const definition = (await deps.references.get(key.model, key.modelVersion)) ?? {
    model: key.model,
    modelVersion: key.modelVersion,
    kind: "rolling" as const,
    referenceId: "",
    days: model.reference.rollingDays,
  };
  const reference = referenceSource(database, definition, key.windowStart);
  const categoricalNumbers = Object.entries(model.features)
    .filter(([, feature]) => feature.kind === "categorical")
    .map(([name]) => name)
    .sort();
  const profile = await deps.profiles.load(reference.key, reference.source, reference.durationMs, {
    categoricalNumbers,
    maxRows: model.reference.maxRows,
    values: rowCount <= model.exactRowLimit,
    lasting: definition.kind !== "rolling",
  });

  const volume: DriftTableResult[] = [volumeResult(VOLUME_METRIC.rowCount, rowCount)];
  const windowMs = key.windowEnd - key.windowStart;
  if (profile.durationMs !== null && profile.durationMs > 0 && profile.storedRows > 0) {
    const expected = (profile.storedRows / profile.durationMs) * windowMs;
    volume.push(volumeResult(VOLUME_METRIC.volumeRatio, rowCount / expected));
  }

  let skippedReason = "";
  if (profile.rows === 0) skippedReason = `no reference rows (${definition.kind} reference)`;
  else if (rowCount < model.minRows) skippedReason = `${rowCount} rows < minRows ${model.minRows}`;

  // Classifiers get an estimate on every evaluation, before their labels arrive and after.
  const fit =
    skippedReason === "" && model.task !== "regression"
      ? cachedReferenceFit(model, profile.labelled)
      : undefined;
  // Drift, the labelled rows and the scores are independent reads: ClickHouse overlaps them.
  const [drift, labelled, scores] = await Promise.all([
    skippedReason === ""
      ? evaluateWindowDrift(engine, model, profile, current, rowCount, stored)
      : Promise.resolve(undefined),
    options.performance && profile.rows > 0
      ? labelledRowsOf(engine, database, current, stored)
      : Promise.resolve(undefined),
    fit !== undefined && "estimator" in fit
      ? windowScores(engine, current)
      : Promise.resolve({ scores: new Float64Array(0), notScores: 0 }),
  ]);
  let performance: PerformanceOutcome | undefined;
  if (labelled !== undefined) {
    performance = evaluateWindowPerformance(
      model,
      { labelled, rows: rowCount },
      { labelled: profile.labelled, rows: profile.rows },
    );
  }

  const estimation =
    fit !== undefined ? estimateWindow(fit, scores, performance?.nLabelled ?? 0) : undefined;

  const now = deps.now();
  const driftResults = [...volume, ...(drift?.results ?? [])];
  const performanceResults = [...(performance?.results ?? []), ...(estimation?.results ?? [])];
  await writeDriftRows(engine, database, key, driftResults.map(driftResultRow), now);
  await writePerformanceRows(
    engine,
    database,
    key,
    performanceResults.map(performanceResultRow),
    now,
  );
  if (testHooksActive) await testHook("monitor.results-written");
  const reasons = [
    ...(drift?.reasons ?? []),
    ...(performance?.reasons ?? []),
    ...(estimation?.reasons ?? []),
  ];
  if (drift !== undefined && drift.withoutReference.length > 0) {
    reasons.push(`no reference for: ${drift.withoutReference.join(", ")}`);
  }
  const record: WindowRecord = {
    ...key,
    rowCount,
    nLabelled: performance?.nLabelled ?? 0,
    // The performance step's turn came (label delay passed), compared or not: a window without
    // reference rows is not re-planned on every tick.
    performanceEvaluated: options.performance,
    driftShare: drift?.driftShare ?? null,
    drifted: drift?.drifted ?? false,
    degraded: performance?.degraded ?? false,
    reasons,
    skippedReason,
  };
  await writeWindowRecord(engine, database, record, now);

  const observations: Observation[] = toObservations([...driftResults, ...performanceResults]);

  return {
    summary: {
      model: key.model,
      modelVersion: key.modelVersion,
      windowStart: key.windowStart,
      windowEnd: key.windowEnd,
      rows: rowCount,
      driftShare: drift?.driftShare ?? null,
      drifted: drift?.drifted ?? false,
      ...(skippedReason !== "" ? { skippedReason } : {}),
    },
    record,
    ...(drift !== undefined ? { drift } : {}),
    ...(performance !== undefined ? { performance } : {}),
    ...(estimation !== undefined ? { estimation } : {}),
    observations,
    durationSeconds: (deps.now() - began) / 1000,
  };
}
