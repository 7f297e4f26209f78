// Config section `ingest`: batching, size limits, dedup window and retry backoff of the ingester.
import { Type, type Static } from "@sinclair/typebox";
import { PositiveInteger, SECTION } from "./helpers.js";

export const IngestRetrySchema = Type.Object(
  {
    minBackoffMs: PositiveInteger(250),
    maxBackoffMs: PositiveInteger(30_000),
  },
  SECTION,
);

export const IngestSchema = Type.Object(
  {
    batchMaxRows: PositiveInteger(50_000, { description: "flush a batch at this many rows" }),
    batchMaxWaitMs: PositiveInteger(1_000, { description: "flush a batch after this long" }),
    maxEventBytes: PositiveInteger(1_048_576, {
      description: "larger messages are dead-lettered with reason too_large",
    }),
    dedupWindowEvents: PositiveInteger(100_000, {
      description: "how many recent (model, event_id) keys are remembered to drop resends",
    }),
    retry: IngestRetrySchema,
  },
  SECTION,
);

export type IngestConfig = Static<typeof IngestSchema>;
