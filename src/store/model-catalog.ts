// Reading the model catalog (migration 7): which models and versions have events, and when the
// first and last of them happened. A few rows per model, whatever the traffic.
import { tableRef } from "./database.js";
import type { SqlEngine } from "./engine.js";
import { sql } from "./sql.js";

export interface CatalogModel {
  readonly model: string;
  /** Versions seen, sorted. */
  readonly versions: readonly string[];
  /** The version of the latest event. */
  readonly latestVersion: string;
  /** Epoch milliseconds of the latest event (second precision). */
  readonly lastEventAt: number;
}

/** Every model with events, by name. */
export async function readModelCatalog(
  engine: SqlEngine,
  database: string,
): Promise<CatalogModel[]> {
  const rows = await engine.query<{
    model: string;
    versions: string[];
    latest: string;
    at: number;
  }>(sql`SELECT model, groupArray(model_version) AS versions,
    argMax(model_version, last) AS latest, toUInt32(max(last)) AS at
  FROM (
    SELECT model, model_version, maxMerge(last_seen) AS last
    FROM ${tableRef(database, "model_catalog")} GROUP BY model, model_version
  )
  GROUP BY model ORDER BY model`);
  return rows.map((row) => ({
    model: row.model,
    versions: [...row.versions].sort(),
    latestVersion: row.latest,
    lastEventAt: Number(row.at) * 1000,
  }));
}

/**
 * Add `model`'s versions from the predictions table to the catalog again (after its catalog rows
 * were deleted with the model's older rows; repeating it is harmless: min and max merge).
 */
export async function recatalogModel(
  engine: SqlEngine,
  database: string,
  model: string,
): Promise<void> {
  await engine.command(sql`INSERT INTO ${tableRef(database, "model_catalog")}
  SELECT model, model_version, minState(ts) AS first_seen, maxState(ts) AS last_seen
  FROM ${tableRef(database, "predictions")} WHERE model = ${model}
  GROUP BY model, model_version`);
}

/** Models with an event at or after `sinceSeconds` (epoch; 0: every model ever seen). */
export async function activeModelNames(
  engine: SqlEngine,
  database: string,
  sinceSeconds: number,
): Promise<string[]> {
  const rows = await engine.query<{ model: string }>(sql`SELECT model
  FROM ${tableRef(database, "model_catalog")}
  GROUP BY model
  HAVING maxMerge(last_seen) >= toDateTime(${Math.max(0, Math.floor(sinceSeconds))})
  ORDER BY model`);
  return rows.map((row) => row.model);
}
