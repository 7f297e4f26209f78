// Config section `retention`: days to keep per table; 0 or absent keeps a table's rows forever.
import { Type, type Static } from "@sinclair/typebox";

/** Tables whose rows age out. Each is partitioned by day, so retention drops whole partitions. */
export const RETAINED_TABLES = [
  "predictions",
  "labels",
  "dead_letters",
  "drift_results",
  "performance_results",
  "notifications",
  "audit_log",
  "ingest_counts",
] as const;

export type RetainedTable = (typeof RETAINED_TABLES)[number];

const Days = Type.Optional(
  Type.Integer({ minimum: 0, description: "days to keep; 0 or absent keeps rows forever" }),
);

export const RetentionSchema = Type.Object(
  Object.fromEntries(RETAINED_TABLES.map((table) => [table, Days])) as Record<
    RetainedTable,
    typeof Days
  >,
  { additionalProperties: false, default: {} },
);

export type RetentionConfig = Static<typeof RetentionSchema>;
