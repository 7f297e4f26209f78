// Deleting rows (ALTER … DELETE, an asynchronous mutation) on one server or every shard of a
// cluster, and waiting for such deletions to finish. On a cluster the mutation runs ON CLUSTER
// on the Replicated `<name>_local` tables (a Distributed table cannot be mutated); replicas of a
// shard apply it through replication.
import type { SqlEngine } from "./engine.js";
import { ident, sql, type SqlFragment } from "./sql.js";
import { LOCAL_SUFFIX, localTableRef, onCluster, type SchemaTarget } from "./table-ddl.js";

function targetOf(engine: SqlEngine, database: string): SchemaTarget {
  return { database, cluster: engine.cluster };
}

/** A system table as seen from every shard (one replica each) on a cluster, else this server's. */
function systemTable(engine: SqlEngine, name: string): SqlFragment {
  return engine.cluster === undefined
    ? sql`system.${ident(name)}`
    : sql`cluster(${engine.cluster}, ${ident("system")}, ${ident(name)})`;
}

/**
 * The fixed names of the database's MergeTree-family tables that have `column` (on a cluster:
 * the tables whose `_local` table has it).
 */
export async function tablesWithColumn(
  engine: SqlEngine,
  database: string,
  column: string,
): Promise<string[]> {
  const rows = await engine.query<{ name: string }>(
    sql`SELECT t.name AS name FROM system.tables AS t
  WHERE t.database = ${database} AND t.engine LIKE '%MergeTree%'
    AND t.name IN (SELECT c.table FROM system.columns AS c
      WHERE c.database = ${database} AND c.name = ${column})
  ORDER BY name`,
  );
  const names = rows.map((row) => row.name);
  if (engine.cluster === undefined) return names;
  return names
    .filter((name) => name.endsWith(LOCAL_SUFFIX))
    .map((name) => name.slice(0, -LOCAL_SUFFIX.length));
}

/** ALTER TABLE … DELETE WHERE `where` (every shard on a cluster); returns before it is done. */
export async function deleteRows(
  engine: SqlEngine,
  database: string,
  table: string,
  where: SqlFragment,
): Promise<void> {
  const target = targetOf(engine, database);
  await engine.command(
    sql`ALTER TABLE ${localTableRef(target, table)}${onCluster(target)} DELETE WHERE ${where}`,
  );
}

/** Mutations of `database` not yet done (on any shard, on a cluster). */
export async function pendingMutations(engine: SqlEngine, database: string): Promise<number> {
  const [row] = await engine.query<{ n: number }>(
    sql`SELECT count() AS n FROM ${systemTable(engine, "mutations")}
  WHERE database = ${database} AND is_done = 0`,
  );
  return Number(row?.n ?? 0);
}
