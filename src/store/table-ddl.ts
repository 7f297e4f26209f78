// The schema's DDL for one server or for a cluster, from one table definition.
//
// One server: `CREATE TABLE IF NOT EXISTS db.name (…) ENGINE = <Engine>(…) …`, as it always was.
// A cluster (`clickhouse.cluster`): the rows live in `db.<name>_local`, a Replicated<Engine> table
// created ON CLUSTER on every server (one ZooKeeper path per shard, one replica per server), and
// the fixed name `db.<name>` is a Distributed table over it, sharded by the table's sharding key.
// Everything the service reads and writes goes through the fixed names; only DDL, ALTERs
// (retention, deletes, added columns) and materialized views address the `_local` tables.
import { ident, literal, raw, sql, type SqlFragment } from "./sql.js";
import { tableRef } from "./database.js";

/** Where the schema lives: a database, on one server or ON CLUSTER `cluster`. */
export interface SchemaTarget {
  readonly database: string;
  /** ClickHouse cluster name from remote_servers (clickhouse.cluster); absent: one server. */
  readonly cluster?: string;
}

export type TableEngine =
  | { readonly kind: "MergeTree" }
  | { readonly kind: "AggregatingMergeTree" }
  | { readonly kind: "ReplacingMergeTree"; readonly version: string }
  | { readonly kind: "SummingMergeTree"; readonly sum: string };

export interface TableDefinition {
  readonly name: string;
  /** The column list between the parentheses, one column a line (driftwatch's own text). */
  readonly columns: string;
  readonly engine: TableEngine;
  readonly partitionBy?: string;
  readonly orderBy: string;
  /**
   * The Distributed table's sharding key on a cluster. Rows that must collapse together (the
   * same ORDER BY key of a Replacing/Summing/Aggregating table) must share a shard, so the key is
   * built from ORDER BY columns (docs/storage.md, "On a cluster").
   */
  readonly shardingKey: string;
}

/** The suffix of the tables that hold the rows on a cluster. */
export const LOCAL_SUFFIX = "_local";

/** Name of the table holding `table`'s rows: `<table>_local` on a cluster, else `table`. */
export function localTableName(target: SchemaTarget, table: string): string {
  return target.cluster === undefined ? table : `${table}${LOCAL_SUFFIX}`;
}

/** `db`.`<table>_local` on a cluster, `db`.`table` on one server. */
export function localTableRef(target: SchemaTarget, table: string): SqlFragment {
  return tableRef(target.database, localTableName(target, table));
}

/** ` ON CLUSTER `c`` on a cluster, nothing on one server. */
export function onCluster(target: SchemaTarget): SqlFragment {
  return target.cluster === undefined ? raw("") : sql` ON CLUSTER ${ident(target.cluster)}`;
}

function engineArguments(engine: TableEngine): string[] {
  switch (engine.kind) {
    case "ReplacingMergeTree":
      return [engine.version];
    case "SummingMergeTree":
      return [engine.sum];
    default:
      return [];
  }
}

function engineClause(target: SchemaTarget, name: string, engine: TableEngine): SqlFragment {
  const args = engineArguments(engine);
  if (target.cluster === undefined) {
    return raw(args.length === 0 ? engine.kind : `${engine.kind}(${args.join(", ")})`);
  }
  // {shard} and {replica} are the servers' <macros>; the database keeps test databases apart.
  const path = `/clickhouse/tables/{shard}/${target.database}/${localTableName(target, name)}`;
  const replicated = [literal(path).text, literal("{replica}").text, ...args];
  return raw(`Replicated${engine.kind}(${replicated.join(", ")})`);
}

/** The CREATE statements of one table: one on a server, the local and Distributed ones on a cluster. */
export function createTable(target: SchemaTarget, table: TableDefinition): SqlFragment[] {
  const local = localTableRef(target, table.name);
  const partition =
    table.partitionBy === undefined ? raw("") : raw(`\nPARTITION BY ${table.partitionBy}`);
  const create = sql`CREATE TABLE IF NOT EXISTS ${local}${onCluster(target)} (
${raw(table.columns.replace(/^\n+|\s+$/g, ""))}
) ENGINE = ${engineClause(target, table.name, table.engine)}${partition}
ORDER BY ${raw(table.orderBy)}`;
  if (target.cluster === undefined) return [create];
  return [create, createDistributed(target, table.name, table.shardingKey)];
}

/** The Distributed table `db.name` over `db.name_local`, with the local table's columns. */
export function createDistributed(
  target: SchemaTarget,
  name: string,
  shardingKey: string,
): SqlFragment {
  if (target.cluster === undefined) throw new Error("a Distributed table needs a cluster");
  const local = localTableName(target, name);
  return sql`CREATE TABLE IF NOT EXISTS ${tableRef(target.database, name)}${onCluster(target)} AS ${tableRef(target.database, local)}
ENGINE = Distributed(${target.cluster}, ${target.database}, ${local}, ${raw(shardingKey)})`;
}

/** DROP TABLE IF EXISTS of `name` (and of `name_local` on a cluster), on every server. */
export function dropTable(target: SchemaTarget, name: string): SqlFragment[] {
  const drop = (table: string) =>
    sql`DROP TABLE IF EXISTS ${tableRef(target.database, table)}${onCluster(target)}`;
  if (target.cluster === undefined) return [drop(name)];
  return [drop(name), drop(localTableName(target, name))];
}

export interface MaterializedViewDefinition {
  readonly name: string;
  /** The target table (its fixed name; on a cluster the view writes to its `_local` table). */
  readonly to: string;
  /** The SELECT over `source`: the fixed table's rows on this server (its `_local` on a cluster). */
  readonly select: SqlFragment;
}

/**
 * A materialized view kept within each INSERT into its source. On a cluster it is created on every
 * server over the local source and writes to the local target: each shard keeps its own rows'
 * aggregate, which the Distributed target table reads across shards.
 */
export function createMaterializedView(
  target: SchemaTarget,
  view: MaterializedViewDefinition,
): SqlFragment {
  return sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${tableRef(target.database, view.name)}${onCluster(target)}
TO ${localTableRef(target, view.to)}
AS ${view.select}`;
}
