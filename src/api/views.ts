// Turns the monitor's values (epoch-ms times) into the API's JSON shapes (RFC 3339 times).
import type {
  EvaluationSummary,
  ModelStatus,
  ModelSummary,
  ReferenceInfo,
} from "../monitor/index.js";
import { isoTime } from "./time-values.js";

export function modelSummaryView(summary: ModelSummary) {
  return {
    model: summary.model,
    configured: summary.configured,
    ...(summary.task !== undefined ? { task: summary.task } : {}),
    versions: [...summary.versions],
    ...(summary.latestVersion !== undefined ? { latestVersion: summary.latestVersion } : {}),
    lastEventAt: isoTime(summary.lastEventAt),
  };
}

export function referenceView(reference: ReferenceInfo) {
  return {
    model: reference.model,
    modelVersion: reference.modelVersion,
    kind: reference.kind,
    rows: reference.rows,
    createdAt: isoTime(reference.createdAt),
    createdBy: reference.createdBy,
    ...(reference.from !== undefined ? { from: isoTime(reference.from) } : {}),
    ...(reference.to !== undefined ? { to: isoTime(reference.to) } : {}),
    ...(reference.days !== undefined ? { days: reference.days } : {}),
  };
}

export function statusView(status: ModelStatus) {
  return {
    model: status.model,
    ...(status.modelVersion !== undefined ? { modelVersion: status.modelVersion } : {}),
    state: status.state,
    reasons: [...status.reasons],
    ...(status.windowStart !== undefined ? { windowStart: isoTime(status.windowStart) } : {}),
    ...(status.windowEnd !== undefined ? { windowEnd: isoTime(status.windowEnd) } : {}),
    ...(status.evaluatedAt !== undefined ? { evaluatedAt: isoTime(status.evaluatedAt) } : {}),
  };
}

export function evaluationView(evaluation: EvaluationSummary) {
  return {
    model: evaluation.model,
    modelVersion: evaluation.modelVersion,
    windowStart: isoTime(evaluation.windowStart),
    windowEnd: isoTime(evaluation.windowEnd),
    rows: evaluation.rows,
    driftShare: evaluation.driftShare,
    drifted: evaluation.drifted,
    ...(evaluation.skippedReason !== undefined ? { skippedReason: evaluation.skippedReason } : {}),
  };
}
