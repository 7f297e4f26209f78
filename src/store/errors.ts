// Store errors in two kinds callers act on differently: the server is unavailable (retry with
// backoff, pause consumption) or the server rejected the statement (retrying cannot help).

/** Base class of every store failure; `retryable` says whether trying again later can succeed. */
export class ClickHouseError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** ClickHouse's numeric error code, when the server sent one. */
    readonly code?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ClickHouseError";
  }
}

/** The server cannot be reached, timed out or is temporarily overloaded: retry later. */
export class ClickHouseUnavailableError extends ClickHouseError {
  constructor(message: string, code?: number, options?: { cause?: unknown }) {
    super(message, true, code, options);
    this.name = "ClickHouseUnavailableError";
  }
}

/**
 * The server refused the request: bad SQL, unknown table, wrong types, authentication or TLS
 * verification failure. Retrying the same request cannot succeed.
 */
export class ClickHouseQueryError extends ClickHouseError {
  constructor(message: string, code?: number, options?: { cause?: unknown }) {
    super(message, false, code, options);
    this.name = "ClickHouseQueryError";
  }
}

/** Whether `error` is a store failure that may succeed when retried later. */
export function isRetryableStoreError(error: unknown): boolean {
  return error instanceof ClickHouseError && error.retryable;
}

/**
 * ClickHouse error codes meaning "temporarily unable", not "wrong request": timeouts, overload,
 * memory pressure, too many parts, network trouble between servers, read-only replicas.
 */
export const RETRYABLE_CLICKHOUSE_CODES: ReadonlySet<number> = new Set([
  159, // TIMEOUT_EXCEEDED
  160, // TOO_SLOW
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  203, // NO_FREE_CONNECTION
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  236, // ABORTED
  241, // MEMORY_LIMIT_EXCEEDED
  242, // TABLE_IS_READ_ONLY
  252, // TOO_MANY_PARTS
  279, // ALL_CONNECTION_TRIES_FAILED
  285, // TOO_FEW_LIVE_REPLICAS
  319, // UNKNOWN_STATUS_OF_INSERT
  394, // QUERY_WAS_CANCELLED
  425, // SYSTEM_ERROR
  999, // KEEPER_EXCEPTION
]);

/** Parse ClickHouse's error text (18.16: "Code: 62, e.displayText() = …"; now: "Code: 62. DB::…"). */
export function parseServerError(text: string): { code?: number; message: string } {
  const match = /Code:\s*(\d+)/.exec(text);
  const message = text
    .replace(/,?\s*e\.what\(\) = DB::Exception\s*$/, "")
    .replace(/^Code:\s*\d+[.,]\s*(e\.displayText\(\) = )?/, "")
    .trim();
  return { code: match ? Number(match[1]) : undefined, message };
}

/** Build the right error class for a server error reply. */
export function serverError(status: number, body: string, statement: string): ClickHouseError {
  const { code, message } = parseServerError(body);
  const text = `ClickHouse error${code !== undefined ? ` ${code}` : ""}: ${truncate(message, 1000)} — in: ${truncate(statement, 300)}`;
  const unavailable =
    status === 502 ||
    status === 503 ||
    status === 504 ||
    (code !== undefined && RETRYABLE_CLICKHOUSE_CODES.has(code));
  return unavailable
    ? new ClickHouseUnavailableError(text, code)
    : new ClickHouseQueryError(text, code);
}

export function truncate(text: string, limit: number): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > limit ? `${oneLine.slice(0, limit - 1)}…` : oneLine;
}
