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

/** CREATE DATABASE IF NOT EXISTS. */
export async function ensureDatabase(engine: SqlEngine, database: string): Promise<void> {
  await engine.command(sql`CREATE DATABASE IF NOT EXISTS ${ident(database)}`);
}

/** DROP DATABASE IF EXISTS (tests clean up their own databases with it). */
export async function dropDatabase(engine: SqlEngine, database: string): Promise<void> {
  await engine.command(sql`DROP DATABASE IF EXISTS ${ident(database)}`);
}
