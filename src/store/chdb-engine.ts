// SqlEngine over chdb: current ClickHouse running in-process (npm `chdb`, a devDependency), used by
// tests to run every statement on a modern server next to 18.16. Loaded lazily so production
// installs without dev dependencies never touch it.
import type { ChdbResult, Session } from "chdb";
import type { InsertOptions, SqlEngine } from "./engine.js";
import { ClickHouseQueryError, errorOfCode, truncate } from "./errors.js";
import { encodeJsonEachRow } from "./json-each-row.js";
import { ident, type SqlFragment } from "./sql.js";
import { insertStatement, parseJsonEachRow, selectStatement } from "./statements.js";

export interface ChdbEngineOptions {
  /** Data directory; a temporary one (removed on close) when absent. */
  readonly path?: string;
}

/**
 * Server settings that make chdb behave like the HTTP engine against 18.16: 64-bit integers as
 * JSON numbers, unknown JSON fields rejected, synchronous inserts.
 */
const SESSION_ARGS = [
  "--output_format_json_quote_64bit_integers=0",
  "--input_format_skip_unknown_fields=0",
  "--async_insert=0",
];

class ChdbEngine implements SqlEngine {
  readonly kind = "chdb" as const;
  // chdb runs one statement at a time per session; calls are queued in order.
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private version?: string;

  constructor(
    private readonly session: Session,
    private readonly drainPending: () => Promise<void>,
  ) {}

  command(statement: SqlFragment): Promise<void> {
    return this.run(statement.text, async () => {
      await this.session.queryAsync(statement.text);
    });
  }

  query<Row extends object>(statement: SqlFragment): Promise<Row[]> {
    return this.select(statement, "JSONEachRow", (result) => parseJsonEachRow<Row>(result.text()));
  }

  queryRowBinary(statement: SqlFragment): Promise<Uint8Array> {
    return this.select(statement, "RowBinary", (result) => result.bytes());
  }

  /** A SELECT in `format` (chdb takes the format as an option, not in the SQL text). */
  private select<T>(
    statement: SqlFragment,
    format: "JSONEachRow" | "RowBinary",
    read: (result: ChdbResult) => T,
  ): Promise<T> {
    const bare = statement.text.replace(/[\s;]+$/, "");
    return this.run(selectStatement(statement, format), async () =>
      read(await this.session.queryAsync(bare, { format })),
    );
  }

  async insert(table: string, rows: readonly object[], options?: InsertOptions): Promise<void> {
    if (rows.length === 0) return;
    await this.insertJsonEachRow(table, encodeJsonEachRow(rows), options);
  }

  insertJsonEachRow(
    table: string,
    body: string | Uint8Array,
    options?: InsertOptions,
  ): Promise<void> {
    if (body.length === 0) return Promise.resolve();
    const statement = insertStatement(table, options?.columns, options?.format).text;
    ident(table); // validate before handing the name to chdb
    if (options?.format === "RowBinary") {
      // chdb's insert() whitelists text formats; RowBinary is the HTTP engine's fast path.
      return Promise.reject(
        new ClickHouseQueryError("chdb inserts take JSONEachRow, not RowBinary"),
      );
    }
    return this.run(statement, async () => {
      await this.session.insert({
        table,
        values: typeof body === "string" ? Buffer.from(body, "utf8") : body,
        format: "JSONEachRow",
        ...(options?.columns !== undefined ? { columns: options.columns } : {}),
      });
    });
  }

  async ping(): Promise<void> {
    await this.run("SELECT 1", async () => {
      await this.session.queryAsync("SELECT 1");
    });
  }

  async serverVersion(): Promise<string> {
    this.version ??= await this.run("SELECT version()", async () => {
      const result = await this.session.queryAsync("SELECT version() AS version", {
        format: "JSONEachRow",
      });
      return parseJsonEachRow<{ version: string }>(result.text())[0]?.version ?? "unknown";
    });
    return this.version;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.session.close();
    await this.drainPending();
  }

  private run<T>(statement: string, action: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ClickHouseQueryError("the chdb engine is closed"));
    const next = this.queue.then(action, action).catch((error: unknown) => {
      throw translateError(error, statement);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function translateError(error: unknown, statement: string): Error {
  const details = error as { name?: string; message?: string; clickhouseCode?: number };
  const code = typeof details.clickhouseCode === "number" ? details.clickhouseCode : undefined;
  const message = `ClickHouse error${code !== undefined ? ` ${code}` : ""}: ${truncate(details.message ?? String(error), 1000)} — in: ${truncate(statement, 300)}`;
  return errorOfCode(code, message, {
    cause: error,
    unavailable: details.name === "ChdbTimeoutError",
  });
}

/**
 * An engine on an in-process chdb session. libchdb serves one data directory per process, so a
 * process (a test file) should share one chdb engine and close it at the end.
 */
export async function createChdbEngine(options: ChdbEngineOptions = {}): Promise<SqlEngine> {
  const chdb = await import("chdb");
  const session = new chdb.Session(options.path, { connectionArgs: SESSION_ARGS });
  return new ChdbEngine(session, chdb.drainPending);
}
