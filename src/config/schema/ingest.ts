// Config section `ingest`: batching, size limits, which models and how many, dedup window and
// retry backoff of the ingester.
import { Type, type Static } from "@sinclair/typebox";
import { globProblem } from "./alerts/checks.js";
import { PositiveInteger, SECTION, type ConfigCheckIssue } from "./kit.js";

export const IngestRetrySchema = Type.Object(
  {
    minBackoffMs: PositiveInteger(250),
    maxBackoffMs: PositiveInteger(30_000),
  },
  SECTION,
);

export const IngestModelsSchema = Type.Object(
  {
    allow: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      default: ["*"],
      maxItems: 1000,
      description:
        "model name globs (picomatch) to ingest; events of other models are dead-lettered (model_not_allowed)",
    }),
    deny: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      default: [],
      maxItems: 1000,
      description: "model name globs refused even when allowed",
    }),
  },
  SECTION,
);

export const IngestSchema = Type.Object(
  {
    batchMaxRows: PositiveInteger(50_000, { description: "flush a batch at this many rows" }),
    batchMaxBytes: PositiveInteger(33_554_432, {
      minimum: 65_536,
      description: "flush a batch when its inserts reach this many bytes (32 MiB)",
    }),
    batchMaxWaitMs: PositiveInteger(1_000, { description: "flush a batch after this long" }),
    maxEventBytes: PositiveInteger(1_048_576, {
      description: "larger messages are dead-lettered with reason too_large",
    }),
    models: IngestModelsSchema,
    maxModels: PositiveInteger(1_000, {
      description:
        "distinct models with events (within retention.predictions) at most; events of new models beyond are dead-lettered (too_many_models)",
    }),
    dedupWindowEvents: PositiveInteger(100_000, {
      description: "how many recent (model, event_id) keys are remembered to drop resends",
    }),
    retry: IngestRetrySchema,
  },
  SECTION,
);

export type IngestConfig = Static<typeof IngestSchema>;

/** What the schema cannot say: globs that compile, backoff bounds in order. */
export function checkIngestConfig(ingest: IngestConfig): ConfigCheckIssue[] {
  const issues: ConfigCheckIssue[] = [];
  for (const list of ["allow", "deny"] as const) {
    ingest.models[list].forEach((glob, index) => {
      // Model names come from producers: the globs are bounded like alert rules' globs.
      const problem = globProblem(glob);
      if (problem !== undefined)
        issues.push({ path: ["ingest", "models", list, index], message: problem });
    });
  }
  if (ingest.retry.minBackoffMs > ingest.retry.maxBackoffMs) {
    issues.push({
      path: ["ingest", "retry", "maxBackoffMs"],
      message: `must be at least ingest.retry.minBackoffMs (${ingest.retry.minBackoffMs})`,
    });
  }
  return issues;
}
