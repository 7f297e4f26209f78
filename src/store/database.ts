// Database-level helpers: qualified table names and creating the database.
import type { SqlEngine } from "./engine.js";
import { ident, sql, type SqlFragment } from "./sql.js";

/** "database.table" after validating both names (throws on anything but a plain identifier). */
export function qualifiedName(database: string, table: string): string {
  ident(database);
  ident(table);
  return `${database}.${table}`;
}

/** The quoted `database`.`table` fragment for SQL text. */
export function tableRef(database: string, table: string): SqlFragment {
  return ident(qualifiedName(database, table));
}

/** ` ON CLUSTER c` when the engine's schema lives on a cluster. */
function onEngineCluster(engine: SqlEngine): SqlFragment {
  return engine.cluster === undefined ? sql`` : sql` ON CLUSTER ${ident(engine.cluster)}`;
}

/** CREATE DATABASE IF NOT EXISTS (on every server of the engine's cluster). */
export async function ensureDatabase(engine: SqlEngine, database: string): Promise<void> {
  await engine.command(
    sql`CREATE DATABASE IF NOT EXISTS ${ident(database)}${onEngineCluster(engine)}`,
  );
}

/** DROP DATABASE IF EXISTS (tests clean up their own databases with it; cluster-wide on one). */
export async function dropDatabase(engine: SqlEngine, database: string): Promise<void> {
  await engine.command(sql`DROP DATABASE IF EXISTS ${ident(database)}${onEngineCluster(engine)}`);
}
