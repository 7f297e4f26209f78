// Reading the ingest counts (migration 8): messages stored per table and model since a time, by
// ingestion time, in 10-second buckets. A few rows per model and bucket, whatever the traffic.
import { tableRef } from "./database.js";
import type { SqlEngine } from "./engine.js";
import { sql } from "./sql.js";

export interface IngestCounts {
  /** Dead letters (service-wide). */
  readonly deadLetters: number;
  /** Rows stored in predictions and labels. */
  readonly stored: number;
  /** Prediction rows per model. */
  readonly predictionsByModel: ReadonlyMap<string, number>;
}

/** Seconds per bucket of driftwatch.ingest_counts. */
export const INGEST_BUCKET_SECONDS = 10;

/**
 * What was ingested from `sinceSeconds` on (epoch). Counts are kept per 10 seconds, so the bucket
 * holding `sinceSeconds` counts whole: a window is measured in whole buckets, never less.
 */
export async function readIngestCounts(
  engine: SqlEngine,
  database: string,
  sinceSeconds: number,
): Promise<IngestCounts> {
  const rows = await engine.query<{ table_name: string; model: string; n: number }>(sql`
    SELECT table_name, model, sum(rows) AS n
    FROM ${tableRef(database, "ingest_counts")}
    WHERE bucket >= toDateTime(${Math.max(0, Math.floor(sinceSeconds / INGEST_BUCKET_SECONDS) * INGEST_BUCKET_SECONDS)})
    GROUP BY table_name, model`);
  let deadLetters = 0;
  let stored = 0;
  const predictionsByModel = new Map<string, number>();
  for (const row of rows) {
    const count = Number(row.n);
    if (row.table_name === "dead_letters") deadLetters += count;
    else stored += count;
    if (row.table_name === "predictions") predictionsByModel.set(row.model, count);
  }
  return { deadLetters, stored, predictionsByModel };
}
