// Applying migrations: creates the database and `schema_migrations`, runs each migration not yet
// recorded there, and records it. Running again applies nothing and changes nothing.
import { ensureDatabase, qualifiedName, tableRef } from "./database.js";
import type { SqlEngine } from "./engine.js";
import { MIGRATIONS, type Migration } from "./migrations/index.js";
import type { ColumnAddition } from "./migrations/migration.js";
import { raw, sql } from "./sql.js";

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
  await ensureDatabase(engine, database);
  await engine.command(sql`CREATE TABLE IF NOT EXISTS ${tableRef(database, MIGRATIONS_TABLE)} (
  version UInt32,
  name String,
  applied_at DateTime
) ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version`);
  const done = await appliedMigrationVersions(engine, database);
  const applied: AppliedMigration[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements(database)) {
      await engine.command(statement);
    }
    for (const column of migration.addColumns ?? []) await addColumn(engine, database, column);
    await engine.insert(qualifiedName(database, MIGRATIONS_TABLE), [
      { version: migration.version, name: migration.name, applied_at: options.now ?? new Date() },
    ]);
    applied.push({ version: migration.version, name: migration.name });
  }
  return applied;
}

const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;

/** ALTER TABLE … ADD COLUMN unless the column exists (18.16 knows no ADD COLUMN IF NOT EXISTS). */
async function addColumn(
  engine: SqlEngine,
  database: string,
  column: ColumnAddition,
): Promise<void> {
  if (!COLUMN_NAME.test(column.name)) throw new Error(`invalid column name ${column.name}`);
  const [found] = await engine.query<{ n: number }>(
    sql`SELECT count() AS n FROM system.columns
  WHERE database = ${database} AND table = ${column.table} AND name = ${column.name}`,
  );
  if (Number(found?.n ?? 0) > 0) return;
  await engine.command(
    sql`ALTER TABLE ${tableRef(database, column.table)} ADD COLUMN ${raw(column.name)} ${raw(column.definition)}`,
  );
}
