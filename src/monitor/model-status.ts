// A model's state for the pipeline gate and the API: drifting when its latest evaluated window
// drifted, degraded when the latest window with performance evaluated shows accuracy decay, or
// when the latest window's labels are not in yet and its estimated performance is below the
// reference's band (the reasons say "estimated"), unknown when nothing was evaluated yet or the
// latest window could not be judged.
import { NO_ESTIMATE, isEstimateReason } from "../../detectors/index.js";
import { tableRef, type SqlEngine, sql } from "../store/index.js";
import type { ModelStatus } from "./operations.js";

interface WindowRow {
  model_version: string;
  ws: number;
  we: number;
  is_drifted: number;
  is_degraded: number;
  perf: number;
  labelled: number;
  why: string[];
  skipped: string;
  at: number;
}

const RECENT_WINDOWS = 200;

export async function readModelStatus(
  engine: SqlEngine,
  database: string,
  model: string,
): Promise<ModelStatus> {
  const rows = await engine.query<WindowRow>(sql`SELECT model_version,
    toUInt32(window_start) AS ws, toUInt32(argMax(window_end, evaluated_at_ms)) AS we,
    argMax(drifted, evaluated_at_ms) AS is_drifted, argMax(degraded, evaluated_at_ms) AS is_degraded,
    argMax(performance_evaluated, evaluated_at_ms) AS perf,
    argMax(n_labelled, evaluated_at_ms) AS labelled,
    argMax(reasons, evaluated_at_ms) AS why, argMax(skipped_reason, evaluated_at_ms) AS skipped,
    max(evaluated_at_ms) AS at
  FROM ${tableRef(database, "evaluated_windows")}
  WHERE model = ${model}
  GROUP BY model_version, ws
  ORDER BY ws DESC, at DESC
  LIMIT ${RECENT_WINDOWS}`);
  const latest = rows[0];
  if (latest === undefined) {
    return { model, state: "unknown", reasons: ["no window has been evaluated yet"] };
  }
  const base = {
    model,
    modelVersion: latest.model_version,
    windowStart: Number(latest.ws) * 1000,
    windowEnd: Number(latest.we) * 1000,
    evaluatedAt: Number(latest.at),
  };
  const latestPerformance = rows.find(
    (row) =>
      row.model_version === latest.model_version &&
      Number(row.perf) === 1 &&
      Number(row.labelled) > 0,
  );
  const reasons: string[] = [];
  const drifting = Number(latest.is_drifted) === 1;
  const degraded = latestPerformance !== undefined && Number(latestPerformance.is_degraded) === 1;
  // Until the latest window's labels are in, its estimate speaks for it.
  const estimates =
    latestPerformance === latest ? [] : latest.why.filter((reason) => isEstimateReason(reason));
  const estimatedBelow = estimates.filter((reason) => !reason.startsWith(NO_ESTIMATE));
  const noEstimate = estimates.filter((reason) => reason.startsWith(NO_ESTIMATE));
  if (drifting) reasons.push(...latest.why.filter((reason) => !isPerformanceReason(reason)));
  if (degraded) {
    reasons.push(...latestPerformance.why.filter((reason) => isRealizedReason(reason)));
  }
  reasons.push(...estimatedBelow);
  if (degraded || estimatedBelow.length > 0) return { ...base, state: "degraded", reasons };
  if (drifting) return { ...base, state: "drifting", reasons: [...reasons, ...noEstimate] };
  if (latest.skipped !== "") return { ...base, state: "unknown", reasons: [latest.skipped] };
  return { ...base, state: "ok", reasons: noEstimate };
}

/** Realized performance reasons read "<metric> <value> vs reference …". */
function isRealizedReason(reason: string): boolean {
  return / vs reference /.test(reason) || reason.startsWith("performance not computable");
}

/** Reasons of the performance steps, realized or estimated (not drift reasons). */
function isPerformanceReason(reason: string): boolean {
  return isRealizedReason(reason) || isEstimateReason(reason);
}
