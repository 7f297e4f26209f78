// Migration 7: the model catalog — one small row per (model, model_version) with the first and
// last event time, kept by a materialized view within each predictions INSERT. Listing models,
// the API's model routes and the ingester's model limit read it instead of grouping over the
// whole predictions table.
import { tableRef } from "../database.js";
import { sql, type SqlFragment } from "../sql.js";
import type { Migration } from "./migration.js";

function catalogSelect(database: string): SqlFragment {
  return sql`SELECT model, model_version, minState(ts) AS first_seen, maxState(ts) AS last_seen
FROM ${tableRef(database, "predictions")}
GROUP BY model, model_version`;
}

export const modelCatalog: Migration = {
  version: 7,
  name: "model catalog",
  statements: (database) => {
    const catalog = tableRef(database, "model_catalog");
    return [
      sql`CREATE TABLE IF NOT EXISTS ${catalog} (
  model String,
  model_version String,
  first_seen AggregateFunction(min, DateTime),
  last_seen AggregateFunction(max, DateTime)
) ENGINE = AggregatingMergeTree
ORDER BY (model, model_version)`,
      sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${tableRef(database, "model_catalog_predictions")}
TO ${catalog}
AS ${catalogSelect(database)}`,
      // Models stored before this migration (harmless when repeated: min and max merge).
      sql`INSERT INTO ${catalog} ${catalogSelect(database)}`,
    ];
  },
};
