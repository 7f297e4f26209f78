// Applying migrations: creates the database and `schema_migrations`, runs each migration not yet
// recorded there, and records it. Running again applies nothing and changes nothing.
//
// Several instances may start at once (on one server or a cluster): every statement is
// idempotent (IF NOT EXISTS), a column another instance added meanwhile counts as added, and
// recording a version twice is harmless (readers take DISTINCT versions).
import { addColumn } from "./add-column.js";
import { ensureDatabase, qualifiedName, tableRef } from "./database.js";
import type { SqlEngine } from "./engine.js";
import { MIGRATIONS, type Migration } from "./migrations/index.js";
import { sql } from "./sql.js";
import { createTable, type SchemaTarget } from "./table-ddl.js";

export const MIGRATIONS_TABLE = "schema_migrations";

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
}

/** Throws when versions are not unique positive integers in increasing order. */
export function checkMigrationRegistry(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(
        `migration ${migration.version} (${migration.name}) is out of order: versions must be increasing integers after ${previous}`,
      );
    }
    previous = migration.version;
  }
}

/** Versions already recorded in `database`.schema_migrations (empty when the table is missing). */
export async function appliedMigrationVersions(
  engine: SqlEngine,
  database: string,
): Promise<Set<number>> {
  const exists = await engine.query<{ found: number }>(
    sql`SELECT count() AS found FROM system.tables WHERE database = ${database} AND name = ${MIGRATIONS_TABLE}`,
  );
  if ((exists[0]?.found ?? 0) === 0) return new Set();
  const rows = await engine.query<{ version: number }>(
    sql`SELECT DISTINCT version FROM ${tableRef(database, MIGRATIONS_TABLE)} ORDER BY version`,
  );
  return new Set(rows.map((row) => Number(row.version)));
}

/**
 * Create the database if needed and apply every migration not yet applied, in order.
 * Returns what was applied now (empty when the schema was already current).
 */
export async function applyMigrations(
  engine: SqlEngine,
  database: string,
  options: { migrations?: readonly Migration[]; now?: Date } = {},
): Promise<AppliedMigration[]> {
  const migrations = options.migrations ?? MIGRATIONS;
  checkMigrationRegistry(migrations);
  const target: SchemaTarget = { database, cluster: engine.cluster };
  await ensureDatabase(engine, database);
  for (const statement of createTable(target, {
    name: MIGRATIONS_TABLE,
    columns: `
  version UInt32,
  name String,
  applied_at DateTime`,
    engine: { kind: "ReplacingMergeTree", version: "applied_at" },
    orderBy: "version",
    shardingKey: "version",
  })) {
    await engine.command(statement);
  }
  const done = await appliedMigrationVersions(engine, database);
  const applied: AppliedMigration[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements(target)) {
      await engine.command(statement);
    }
    for (const column of migration.addColumns ?? []) {
      await addColumn(engine, target, column);
    }
    await engine.insert(qualifiedName(database, MIGRATIONS_TABLE), [
      { version: migration.version, name: migration.name, applied_at: options.now ?? new Date() },
    ]);
    applied.push({ version: migration.version, name: migration.name });
  }
  return applied;
}
