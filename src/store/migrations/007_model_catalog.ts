// Migration 7: the model catalog — one small row per (model, model_version) with the first and
// last event time, kept by a materialized view within each predictions INSERT. Listing models,
// the API's model routes and the ingester's model limit read it instead of grouping over the
// whole predictions table.
import { tableRef } from "../database.js";
import { sql, type SqlFragment } from "../sql.js";
import {
  createMaterializedView,
  createTable,
  localTableRef,
  type SchemaTarget,
} from "../table-ddl.js";
import type { Migration } from "./migration.js";

function catalogSelect(source: SqlFragment): SqlFragment {
  return sql`SELECT model, model_version, minState(ts) AS first_seen, maxState(ts) AS last_seen
FROM ${source}
GROUP BY model, model_version`;
}

export const modelCatalog: Migration = {
  version: 7,
  name: "model catalog",
  statements: (target: SchemaTarget) => [
    ...createTable(target, {
      name: "model_catalog",
      columns: `
  model String,
  model_version String,
  first_seen AggregateFunction(min, DateTime),
  last_seen AggregateFunction(max, DateTime)`,
      engine: { kind: "AggregatingMergeTree" },
      orderBy: "(model, model_version)",
      shardingKey: "cityHash64(model)",
    }),
    createMaterializedView(target, {
      name: "model_catalog_predictions",
      to: "model_catalog",
      select: catalogSelect(localTableRef(target, "predictions")),
    }),
    // Models stored before this migration (harmless when repeated: min and max merge; on a
    // cluster, whichever shard the row lands on).
    sql`INSERT INTO ${tableRef(target.database, "model_catalog")} ${catalogSelect(tableRef(target.database, "predictions"))}`,
  ],
};
