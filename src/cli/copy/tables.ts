// Which tables `driftwatch copy` moves and how it tells their rows apart: per table the unit it
// copies and verifies at a time (a day partition, a reference, or the whole small table) and the
// identity columns that name a row: a ReplacingMergeTree table's sorting key, with its version
// column beside it (a merge on either side never changes the number of distinct keys nor each
// key's latest version, which is what is compared), or for plain MergeTree logs the columns that
// tell one entry from another.
// Derived tables (ingest_positions, ingest_counts, model_catalog) are not copied: the target's
// materialized views fill them from the copied predictions, labels and dead letters.

import { CopyError } from "./errors.js";
export interface CopiedTable {
  readonly table: string;
  /** What the table holds, for --help and progress. */
  readonly holds: string;
  /** SQL over the table's own columns naming the unit (partition); undefined: one unit. */
  readonly unit?: string;
  /** Columns that together name a row (all rows of one identity are copied together). */
  readonly identity: readonly string[];
  /**
   * "replacing": duplicate identities may be merged away on either side, so verification
   * compares distinct identities; "log": rows are never merged, so row counts must match too.
   */
  readonly merge: "replacing" | "log";
  /**
   * A ReplacingMergeTree table's version column (DateTime or UInt): each (key, version) is copied
   * as one entry, so a version written to the source after a first copy is copied by the next.
   */
  readonly version?: string;
}

export const COPIED_TABLES: readonly CopiedTable[] = [
  {
    table: "predictions",
    holds: "ingested predictions",
    unit: "toYYYYMMDD(ts)",
    identity: ["model", "ts", "event_id"],
    merge: "replacing",
    version: "ingested_at",
  },
  {
    table: "labels",
    holds: "late labels",
    unit: "toYYYYMMDD(ts)",
    identity: ["model", "event_id"],
    merge: "replacing",
    version: "ingested_at",
  },
  {
    table: "dead_letters",
    holds: "dead letters",
    unit: "toYYYYMMDD(received_at)",
    identity: ["received_at", "topic", "partition", "offset", "reason"],
    merge: "log",
  },
  {
    table: "dead_letter_replays",
    holds: "dead-letter replays",
    identity: ["topic", "partition", "offset"],
    merge: "replacing",
    version: "replayed_at",
  },
  {
    table: "model_references",
    holds: "reference definitions",
    identity: ["model", "model_version"],
    merge: "replacing",
    version: "created_at_ms",
  },
  {
    table: "reference_rows",
    holds: "uploaded reference datasets",
    unit: "reference_id",
    identity: ["model", "model_version", "reference_id", "row_number"],
    merge: "log",
  },
  {
    table: "evaluated_windows",
    holds: "evaluated windows",
    unit: "toYYYYMM(window_start)",
    identity: ["model", "model_version", "window_start"],
    merge: "replacing",
    version: "evaluated_at_ms",
  },
  {
    table: "drift_results",
    holds: "drift results",
    unit: "toYYYYMMDD(window_start)",
    identity: ["model", "model_version", "window_start", "feature", "metric"],
    merge: "replacing",
    version: "computed_at",
  },
  {
    table: "performance_results",
    holds: "performance results",
    unit: "toYYYYMMDD(window_start)",
    identity: ["model", "model_version", "window_start", "metric"],
    merge: "replacing",
    version: "computed_at",
  },
  {
    table: "alerts",
    holds: "alert states (history of changes)",
    identity: ["rule", "model", "alert_id"],
    merge: "replacing",
    version: "version",
  },
  {
    table: "notifications",
    holds: "notification delivery log",
    unit: "toYYYYMMDD(sent_at)",
    identity: ["sent_at_ms", "receiver", "notification_id", "integration", "attempt", "status"],
    merge: "log",
  },
  {
    table: "silences",
    holds: "silences",
    identity: ["id"],
    merge: "replacing",
    version: "version",
  },
  {
    table: "retrain_requests",
    holds: "retrain requests",
    identity: ["model", "request_id"],
    merge: "replacing",
    version: "updated_at_ms",
  },
  {
    table: "audit_log",
    holds: "audit log",
    unit: "toYYYYMMDD(ts)",
    identity: ["ts", "actor", "action", "target", "detail"],
    merge: "log",
  },
];

/** The tables named by --tables (all when undefined); throws naming the valid ones. */
export function selectTables(names: readonly string[] | undefined): readonly CopiedTable[] {
  if (names === undefined) return COPIED_TABLES;
  const known = new Map(COPIED_TABLES.map((table) => [table.table, table]));
  return names.map((name) => {
    const table = known.get(name);
    if (table === undefined) {
      throw new CopyError(
        `--tables: unknown table ${JSON.stringify(name)} (copied tables: ${COPIED_TABLES.map((t) => t.table).join(", ")})`,
      );
    }
    return table;
  });
}
