// The narrow interface every part of driftwatch uses to talk to ClickHouse, whichever engine
// serves it: the ClickHouse server over HTTP (production) or chdb in-process (tests).
import type { SqlFragment } from "./sql.js";

/** A result row as ClickHouse's JSONEachRow prints it (64-bit integers come back as numbers). */
export type SqlRow = Record<string, unknown>;

export interface InsertOptions {
  /** Explicit column list; otherwise JSON keys are matched to columns by name. */
  readonly columns?: readonly string[];
  /**
   * Format of a pre-encoded body (insertJsonEachRow): JSONEachRow text (default), or RowBinary
   * bytes with every column of `columns` in that order (the ingester's hot path; HTTP engine only).
   */
  readonly format?: "JSONEachRow" | "RowBinary";
}

/**
 * Lifecycle: create (`createHttpEngine` / `createChdbEngine`), use from any number of concurrent
 * callers, `close()` once. Every method throws ClickHouseUnavailableError (retry later) or
 * ClickHouseQueryError (the statement is wrong). Table names are "database.table" strings,
 * validated as identifiers; SQL comes only from the `sql` template (src/store/sql.ts).
 */
export interface SqlEngine {
  /** "clickhouse-http" or "chdb". */
  readonly kind: "clickhouse-http" | "chdb";
  /**
   * The ClickHouse cluster (remote_servers name, `clickhouse.cluster`) the schema lives on, or
   * undefined for one server. On a cluster, DDL runs ON CLUSTER over Replicated `<name>_local`
   * tables with Distributed tables under the fixed names (src/store/table-ddl.ts), and every
   * insert is synchronous: acknowledged only when every shard stored its part.
   */
  readonly cluster?: string;
  /** Run a statement that returns no rows (DDL, ALTER, INSERT … SELECT, OPTIMIZE). */
  command(statement: SqlFragment): Promise<void>;
  /**
   * Run a SELECT and return its rows; the caller states the row shape it selected. DateTime
   * values print in the server's time zone: select `toUnixTimestamp(col)` for portable results.
   * NaN and ±Infinity come back as null.
   */
  query<Row extends object = SqlRow>(statement: SqlFragment): Promise<Row[]>;
  /**
   * Run a SELECT and return its rows as ClickHouse's RowBinary bytes, for results too large to
   * travel as JSON text (millions of numbers): the caller decodes the columns it selected.
   */
  queryRowBinary(statement: SqlFragment): Promise<Uint8Array>;
  /**
   * Insert rows in ONE request (one atomic INSERT … FORMAT JSONEachRow). Values: numbers,
   * strings, booleans, null, arrays; `Date` becomes epoch seconds (for DateTime columns);
   * `Uint8Array`/`Buffer` are written as raw bytes into a String column (payloads kept as received);
   * NaN/±Infinity are written as nan/inf. Send every column: 18.16 does not apply DEFAULTs for
   * omitted JSON fields.
   */
  insert(table: string, rows: readonly object[], options?: InsertOptions): Promise<void>;
  /** Insert pre-serialized JSONEachRow text (one object per line) in ONE request. */
  insertJsonEachRow(
    table: string,
    body: string | Uint8Array,
    options?: InsertOptions,
  ): Promise<void>;
  /** Resolves when the server answers; throws ClickHouseUnavailableError otherwise. */
  ping(): Promise<void>;
  /** The server's version string, e.g. "18.16.1" or "26.7.2.1" (asked once, then cached). */
  serverVersion(): Promise<string>;
  /** Release connections (HTTP) or the in-process session (chdb). Idempotent. */
  close(): Promise<void>;
}
