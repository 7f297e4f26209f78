// Adding a column to an existing table, repeatably: 18.16 knows no ADD COLUMN IF NOT EXISTS, so
// the column is added only when system.columns lacks it, and a concurrent instance adding it
// first (the ALTER then fails: "column with this name already exists") counts as success.
//
// On a cluster the column goes to the Replicated `<name>_local` (ALTER … ON CLUSTER) and then to
// the Distributed table. 18.16 refuses ALTER … ON CLUSTER of a table that is not replicated when
// the cluster's shards replicate internally, so the Distributed table (it holds no rows: inserts
// are synchronous) is dropped and created again over the altered local table, with its own engine.
import { setTimeout as sleep } from "node:timers/promises";
import { tableRef } from "./database.js";
import type { SqlEngine } from "./engine.js";
import { ClickHouseError } from "./errors.js";
import type { ColumnAddition } from "./migrations/migration.js";
import { raw, sql } from "./sql.js";
import { localTableName, onCluster, type SchemaTarget } from "./table-ddl.js";

const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;
const DISTRIBUTED_ENGINE = /^Distributed\([^;]*\)$/;
/** How long to wait for a Distributed table another instance is creating again. */
const RECREATE_WAIT_MS = 60_000;

/** Add `column` unless present (on every server of the engine's cluster). */
export async function addColumn(
  engine: SqlEngine,
  target: SchemaTarget,
  column: ColumnAddition,
): Promise<void> {
  if (!COLUMN_NAME.test(column.name)) throw new Error(`invalid column name ${column.name}`);
  await alterIfMissing(engine, target, localTableName(target, column.table), column);
  if (target.cluster !== undefined) await addToDistributed(engine, target, column);
}

async function columnExists(
  engine: SqlEngine,
  database: string,
  table: string,
  name: string,
): Promise<boolean> {
  const [found] = await engine.query<{ n: number }>(
    sql`SELECT count() AS n FROM system.columns
  WHERE database = ${database} AND table = ${table} AND name = ${name}`,
  );
  return Number(found?.n ?? 0) > 0;
}

async function alterIfMissing(
  engine: SqlEngine,
  target: SchemaTarget,
  table: string,
  column: ColumnAddition,
): Promise<void> {
  if (await columnExists(engine, target.database, table, column.name)) return;
  try {
    await engine.command(
      sql`ALTER TABLE ${tableRef(target.database, table)}${onCluster(target)} ADD COLUMN ${raw(column.name)} ${raw(column.definition)}`,
    );
  } catch (error) {
    // Another instance added it first (code 44 on every version, ON CLUSTER or not).
    const added = error instanceof ClickHouseError && /already exists/.test(error.message);
    if (!added || !(await columnExists(engine, target.database, table, column.name))) throw error;
  }
}

async function addToDistributed(
  engine: SqlEngine,
  target: SchemaTarget,
  column: ColumnAddition,
): Promise<void> {
  const deadline = Date.now() + RECREATE_WAIT_MS;
  for (;;) {
    const [table] = await engine.query<{ engine_full: string; has: number }>(
      sql`SELECT engine_full, (SELECT count() FROM system.columns
    WHERE database = ${target.database} AND table = ${column.table} AND name = ${column.name}) AS has
  FROM system.tables WHERE database = ${target.database} AND name = ${column.table}`,
    );
    if (table !== undefined && Number(table.has) > 0) return;
    if (table !== undefined && DISTRIBUTED_ENGINE.test(table.engine_full)) {
      const fixed = tableRef(target.database, column.table);
      const local = tableRef(target.database, localTableName(target, column.table));
      await engine.command(sql`DROP TABLE IF EXISTS ${fixed}${onCluster(target)}`);
      await engine.command(
        sql`CREATE TABLE IF NOT EXISTS ${fixed}${onCluster(target)} AS ${local}
ENGINE = ${raw(table.engine_full)}`,
      );
      continue;
    }
    if (table !== undefined) {
      throw new Error(
        `${target.database}.${column.table} is a ${table.engine_full} table, not Distributed: is clickhouse.cluster right?`,
      );
    }
    // Another instance dropped it to create it again with the column: wait for that.
    if (Date.now() > deadline) {
      throw new Error(`${target.database}.${column.table} is missing on this server`);
    }
    await sleep(500);
  }
}
