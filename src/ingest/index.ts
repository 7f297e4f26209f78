// Public surface of ingestion: the ingester the ingest role runs, event validation (shared with
// the API), dead letters and their replay, and sending events from files (`driftwatch send`).
export { parseRfc3339 } from "./timestamp.js";
export { validatePrediction } from "./validate.js";
export { listDeadLetters } from "./dead-letters.js";
export { parsePosition } from "./dead-letters.js";
export { summarizeDeadLetters } from "./dead-letters.js";
export type { DeadLetterEntry } from "./dead-letters.js";
export type { DeadLetterFilter } from "./dead-letters.js";
export type { DeadLetterSummary } from "./dead-letters.js";
export type { OriginalPosition } from "./dead-letters.js";
export { DEAD_LETTER_REASONS } from "./reasons.js";
export { isDeadLetterReason } from "./reasons.js";
export { replayDeadLetters } from "./replay.js";
export type { ReplaySummary } from "./replay.js";
export { parseTimeArgument } from "./time-argument.js";
export { openInput } from "./jsonl-lines.js";
export { sendEvents } from "./send-events.js";
export type { EventKind } from "./send-events.js";
export type { SendSummary } from "./send-events.js";
export { backoffDelayMs } from "./backoff.js";
export { Ingester } from "./ingester.js";
export type { IngesterSettings } from "./ingester.js";
export { IngestMetrics } from "./ingest-metrics.js";
