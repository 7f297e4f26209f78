// Public surface of the store: engines (ClickHouse over HTTP, chdb in-process), the SQL builder,
// errors, migrations and retention.
import type { ClickHouseConfig } from "../config/index.js";
import type { SqlEngine } from "./engine.js";
import { createHttpEngine, httpEngineOptionsFromConfig } from "./http-engine.js";

export type { InsertOptions, SqlEngine, SqlRow } from "./engine.js";
export {
  createHttpEngine,
  httpEngineOptionsFromConfig,
  type HttpEngineOptions,
} from "./http-engine.js";
export { createChdbEngine, type ChdbEngineOptions } from "./chdb-engine.js";
export {
  ClickHouseError,
  ClickHouseQueryError,
  ClickHouseUnavailableError,
  isOutage,
  isRetryableStoreError,
  rejectsRows,
  STORE_FAILURE_KINDS,
  type StoreFailureKind,
} from "./errors.js";
export { insertIsolatingRejected, type RejectedRow } from "./isolate-rejected.js";
export { ident, isIdentifier, join, literal, raw, sql, SqlFragment } from "./sql.js";
export { dropDatabase, ensureDatabase, qualifiedName, tableRef } from "./database.js";
export { encodeJsonEachRow } from "./json-each-row.js";
export { RowBinaryReader } from "./row-binary-reader.js";
export { readIngestCounts, type IngestCounts } from "./ingest-counts.js";
export {
  activeModelNames,
  readModelCatalog,
  recatalogModel,
  type CatalogModel,
} from "./model-catalog.js";
export {
  applyMigrations,
  appliedMigrationVersions,
  checkMigrationRegistry,
  MIGRATIONS_TABLE,
  type AppliedMigration,
} from "./migrate.js";
export { MIGRATIONS, type Migration } from "./migrations/index.js";
export { applyRetention, type DroppedPartition } from "./retention.js";
export { deleteRows, pendingMutations, tablesWithColumn } from "./delete-rows.js";
export {
  createTable,
  localTableName,
  LOCAL_SUFFIX,
  type SchemaTarget,
  type TableDefinition,
} from "./table-ddl.js";
export { scheduleRetention, type RetentionSchedule } from "./retention-schedule.js";

/** The production engine for the `clickhouse` config section (HTTP; reads the TLS CA file). */
export function createClickHouseEngine(config: ClickHouseConfig): SqlEngine {
  return createHttpEngine(httpEngineOptionsFromConfig(config));
}
