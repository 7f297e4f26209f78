// SqlEngine over ClickHouse's HTTP interface, on node:http(s) directly. Written instead of using
// @clickhouse/client because that client (1.x) cannot parse 18.16's error replies ("Code: 62,
// e.displayText() = …": the code is lost) and logs failures on its own; here every request is
// explicit: which settings are sent (only ones the server knows), one request per insert,
// Basic auth, a TLS CA, a timeout per request, and errors split into retryable or not.
import http from "node:http";
import https from "node:https";
import { readFileSync } from "node:fs";
import type { SqlEngine, InsertOptions } from "./engine.js";
import {
  ClickHouseQueryError,
  ClickHouseUnavailableError,
  parseServerError,
  serverError,
  truncate,
} from "./errors.js";
import { encodeJsonEachRow } from "./json-each-row.js";
import { parseJsonEachRow, insertStatement, selectStatement } from "./statements.js";
import { isIdentifier, sql, type SqlFragment } from "./sql.js";

export interface HttpEngineOptions {
  /** e.g. http://localhost:8123 (a path, for a proxy, is kept). */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** PEM text of the CA that signed the server certificate (for https). */
  readonly ca?: string | Buffer;
  readonly rejectUnauthorized?: boolean;
  /** Whole-request deadline; on expiry the request fails with ClickHouseUnavailableError. */
  readonly requestTimeoutMs?: number;
  /** Parallel connections kept to the server. */
  readonly maxSockets?: number;
  /** The cluster the schema lives on (SqlEngine.cluster): every insert is then synchronous. */
  readonly cluster?: string;
}

/** Options from the `clickhouse` config section (reads the CA file). */
export function httpEngineOptionsFromConfig(config: {
  url: string;
  username: string;
  password?: string;
  tls: { ca?: string; rejectUnauthorized: boolean };
  requestTimeoutMs: number;
  cluster?: string;
}): HttpEngineOptions {
  return {
    url: config.url,
    username: config.username,
    password: config.password,
    ca: config.tls.ca !== undefined ? readFileSync(config.tls.ca) : undefined,
    rejectUnauthorized: config.tls.rejectUnauthorized,
    requestTimeoutMs: config.requestTimeoutMs,
    cluster: config.cluster,
  };
}

/**
 * An insert (or INSERT … SELECT) reaches predictions' materialized views in blocks of at most
 * this many rows: the hourly histogram views aggregate each block, and 18.16's default
 * million-row blocks (a large `driftwatch copy` unit, a bulk INSERT … SELECT) need more than its
 * per-query memory limit there. The ingester's batches are smaller anyway.
 */
const INSERT_BLOCKS: Readonly<Record<string, string>> = {
  max_insert_block_size: "100000",
  min_insert_block_size_rows: "100000",
};

/** Settings every query sends; all exist on 18.16 and on current releases. */
const QUERY_SETTINGS: Readonly<Record<string, string>> = {
  // Buffer the whole result server-side so a failure mid-query is an HTTP error, not a 200
  // whose body ends in an exception text.
  wait_end_of_query: "1",
  // Same JSON on every version: 18.16 quotes UInt64 by default, current releases do not.
  output_format_json_quote_64bit_integers: "0",
  ...INSERT_BLOCKS,
};

/**
 * Settings every request sends when the schema lives on a cluster (both known to 18.16 and
 * current releases):
 * - an INSERT (or INSERT … SELECT) into a Distributed table returns only when every shard stored
 *   its part, and fails when any shard did not (asynchronous by default: acknowledged before the
 *   shards have it; current releases call it distributed_foreground_insert, keeping this alias);
 * - an IN or JOIN subquery over a Distributed table inside a query over another one runs once,
 *   over the whole cluster, and its result goes to every shard (GLOBAL IN / GLOBAL JOIN): the
 *   answer a single server gives. The default refuses such queries;
 * - reads and inserts go to the same replica of each shard (the first healthy one in the
 *   cluster's order, or this server for its own shard), so a read sees what this instance wrote
 *   just before (a random replica may not have fetched it yet); another replica takes over when
 *   that one is down.
 */
const CLUSTER_SETTINGS: Readonly<Record<string, string>> = {
  insert_distributed_sync: "1",
  distributed_product_mode: "global",
  load_balancing: "in_order",
};

/** Settings every insert sends (18.16 defaults, made explicit for current releases). */
const INSERT_SETTINGS: Readonly<Record<string, string>> = {
  input_format_skip_unknown_fields: "0",
  ...INSERT_BLOCKS,
};

/** Settings sent only to servers that know them (unknown settings are errors on 18.16). */
const INSERT_SETTINGS_IF_KNOWN: Readonly<Record<string, string>> = {
  // Current releases may turn async inserts on by default: an acknowledged insert must be stored.
  async_insert: "0",
};

const NETWORK_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
]);

/** A request failed on a reused keep-alive socket before any answer: it may be sent again. */
class StaleSocketError extends Error {}

class HttpEngine implements SqlEngine {
  readonly kind = "clickhouse-http" as const;
  readonly cluster?: string;
  private readonly querySettings: Readonly<Record<string, string>>;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly authorization: string;
  private readonly username: string;
  private readonly timeoutMs: number;
  private serverFacts?: Promise<{ version: string; knownSettings: Set<string> }>;
  private closed = false;

  constructor(options: HttpEngineOptions) {
    try {
      this.base = new URL(options.url);
    } catch {
      throw new ClickHouseQueryError(`invalid ClickHouse URL ${JSON.stringify(options.url)}`);
    }
    if (this.base.username !== "" || this.base.password !== "") {
      throw new ClickHouseQueryError(
        "put ClickHouse credentials in username/password, not in the URL",
      );
    }
    const secure = this.base.protocol === "https:";
    if (!secure && this.base.protocol !== "http:") {
      throw new ClickHouseQueryError(
        `ClickHouse URL must be http:// or https://, got ${this.base.protocol}`,
      );
    }
    this.transport = secure ? https : http;
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets ?? 8,
      // Close idle sockets before the server does (18.16's keep_alive_timeout is 3 s), so a
      // request never goes out on a socket the server has just closed.
      timeout: 2_000,
    };
    this.agent = secure
      ? new https.Agent({
          ...agentOptions,
          ca: options.ca,
          rejectUnauthorized: options.rejectUnauthorized ?? true,
        })
      : new http.Agent(agentOptions);
    this.username = options.username ?? "default";
    const credentials = `${this.username}:${options.password ?? ""}`;
    this.authorization = `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
    if (options.cluster !== undefined && !isIdentifier(options.cluster)) {
      throw new ClickHouseQueryError(`invalid cluster name ${JSON.stringify(options.cluster)}`);
    }
    this.cluster = options.cluster;
    this.querySettings =
      options.cluster === undefined ? QUERY_SETTINGS : { ...QUERY_SETTINGS, ...CLUSTER_SETTINGS };
  }

  async command(statement: SqlFragment): Promise<void> {
    await this.request(statement.text, this.querySettings, statement.text);
  }

  async query<Row extends object>(statement: SqlFragment): Promise<Row[]> {
    const text = selectStatement(statement);
    const body = await this.request(text, this.querySettings, text);
    return parseJsonEachRow<Row>(body.toString("utf8"));
  }

  async queryRowBinary(statement: SqlFragment): Promise<Uint8Array> {
    const text = selectStatement(statement, "RowBinary");
    return this.request(text, this.querySettings, text);
  }

  async insert(table: string, rows: readonly object[], options?: InsertOptions): Promise<void> {
    if (rows.length === 0) return;
    await this.insertJsonEachRow(table, encodeJsonEachRow(rows), options);
  }

  async insertJsonEachRow(
    table: string,
    body: string | Uint8Array,
    options?: InsertOptions,
  ): Promise<void> {
    if (body.length === 0) return;
    const statement = insertStatement(table, options?.columns, options?.format).text;
    const facts = await this.facts();
    const settings: Record<string, string> = {
      ...INSERT_SETTINGS,
      ...(this.cluster === undefined ? {} : CLUSTER_SETTINGS),
      query: statement,
    };
    for (const [name, value] of Object.entries(INSERT_SETTINGS_IF_KNOWN)) {
      if (facts.knownSettings.has(name)) settings[name] = value;
    }
    await this.request(body, settings, statement);
  }

  async ping(): Promise<void> {
    await this.request("SELECT 1", QUERY_SETTINGS, "SELECT 1");
  }

  async serverVersion(): Promise<string> {
    return (await this.facts()).version;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
  }

  /** Server version and which optional settings it knows: asked once per engine. */
  private facts(): Promise<{ version: string; knownSettings: Set<string> }> {
    this.serverFacts ??= (async () => {
      const names = Object.keys(INSERT_SETTINGS_IF_KNOWN);
      const rows = await this.query<{ version: string; known: string[] }>(
        sql`SELECT version() AS version, (SELECT groupArray(name) FROM system.settings WHERE has(${names}, name)) AS known`,
      );
      const row = rows[0];
      if (row === undefined) throw new ClickHouseQueryError("SELECT version() returned no row");
      return { version: row.version, knownSettings: new Set(row.known) };
    })();
    // A failed probe (server down) must not stick: the next call asks again.
    this.serverFacts.catch(() => {
      this.serverFacts = undefined;
    });
    return this.serverFacts;
  }

  private async request(
    body: string | Uint8Array,
    params: Readonly<Record<string, string>>,
    statement: string,
  ): Promise<Buffer> {
    if (this.closed) throw new ClickHouseQueryError("the ClickHouse engine is closed");
    const url = new URL(this.base.href);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    try {
      return await this.send(url, body, statement);
    } catch (error) {
      // A kept-alive socket the server closed while idle fails before the request is read;
      // Node marks such a socket `reusedSocket`. Sending once more on a fresh socket is safe.
      if (!(error instanceof StaleSocketError)) throw error;
      return this.send(url, body, statement);
    }
  }

  private send(url: URL, body: string | Uint8Array, statement: string): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, result?: Buffer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error !== undefined) reject(error);
        else resolve(result!);
      };
      const request = this.transport.request(url, {
        method: "POST",
        agent: this.agent,
        headers: {
          Authorization: this.authorization,
          "Content-Type": "text/plain; charset=utf-8",
          "Content-Length": Buffer.byteLength(body),
        },
      });
      const timer = setTimeout(() => {
        const error = new ClickHouseUnavailableError(
          `ClickHouse did not answer within ${this.timeoutMs} ms — in: ${truncate(statement, 300)}`,
        );
        finish(error);
        request.destroy(error);
      }, this.timeoutMs);
      let answered = false;
      request.on("error", (error) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (!answered && request.reusedSocket && (code === "ECONNRESET" || code === "EPIPE")) {
          finish(new StaleSocketError(error.message));
        } else {
          finish(this.networkError(error, statement));
        }
      });
      request.on("response", (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) => finish(this.networkError(error, statement)));
        response.on("end", () => {
          const payload = Buffer.concat(chunks);
          const status = response.statusCode ?? 0;
          if (status === 200) {
            finish(undefined, payload);
          } else if (status === 401 || status === 403) {
            const refusal = parseServerError(payload.toString("utf8"));
            finish(
              new ClickHouseQueryError(
                `ClickHouse refused the credentials of user ${JSON.stringify(this.username)}: ${truncate(refusal.message, 300)}`,
                refusal.code,
              ),
            );
          } else {
            finish(serverError(status, payload.toString("utf8"), statement));
          }
        });
      });
      request.end(body);
    });
  }

  private networkError(error: Error, statement: string): Error {
    if (error instanceof ClickHouseUnavailableError || error instanceof ClickHouseQueryError)
      return error;
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const where = `${this.base.protocol}//${this.base.host}`;
    if (NETWORK_ERROR_CODES.has(code) || error.message === "socket hang up") {
      return new ClickHouseUnavailableError(
        `ClickHouse at ${where} is unreachable (${code || error.message}) — in: ${truncate(statement, 200)}`,
        undefined,
        { cause: error },
      );
    }
    // TLS verification and other local failures: retrying the same request cannot help.
    return new ClickHouseQueryError(
      `request to ClickHouse at ${where} failed: ${code ? `${code}: ` : ""}${error.message}`,
      undefined,
      {
        cause: error,
      },
    );
  }
}

/** An engine talking to a ClickHouse server over HTTP(S). No request is made until first use. */
export function createHttpEngine(options: HttpEngineOptions): SqlEngine {
  return new HttpEngine(options);
}
