// Store errors, classified by what callers do about them: an outage (retry with backoff, pause
// intake), rows the server refuses (isolate them), or a refused statement (an operator must act).
import { storedText } from "../util/index.js";

/**
 * Why a store request failed, in the three groups callers act on:
 * - an outage (connection, timeout, overload, memory): the same request may succeed later;
 *   retry with backoff and pause intake meanwhile;
 * - the rows are at fault (parse, type, size, check): retrying the same rows never helps;
 *   isolate the rows the server refuses (src/store/isolate-rejected.ts) and store the rest;
 * - refused (statement, schema, credentials, TLS): neither the rows nor time are the cause; an
 *   operator must fix the server or the config. Writers keep the rows and retry with backoff,
 *   loudly (a data table that vanished must not turn every event into a dead letter).
 */
export type StoreFailureKind =
  | "connection"
  | "timeout"
  | "overload"
  | "memory"
  | "parse"
  | "type"
  | "size"
  | "check"
  | "refused";

const OUTAGE_KINDS: ReadonlySet<StoreFailureKind> = new Set([
  "connection",
  "timeout",
  "overload",
  "memory",
]);
const ROW_KINDS: ReadonlySet<StoreFailureKind> = new Set(["parse", "type", "size", "check"]);

/** Every kind, for metrics series created at zero. */
export const STORE_FAILURE_KINDS: readonly StoreFailureKind[] = [
  "connection",
  "timeout",
  "overload",
  "memory",
  "parse",
  "type",
  "size",
  "check",
  "refused",
];

/** Base class of every store failure; `retryable` says whether trying again later can succeed. */
export class ClickHouseError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** ClickHouse's numeric error code, when the server sent one. */
    readonly code?: number,
    options?: { cause?: unknown; kind?: StoreFailureKind },
  ) {
    super(message, options);
    this.name = "ClickHouseError";
    this.kind = options?.kind ?? (retryable ? "connection" : "refused");
  }

  /** What kind of failure this is (see StoreFailureKind). */
  readonly kind: StoreFailureKind;
}

/** The server cannot be reached, timed out or is temporarily overloaded: retry later. */
export class ClickHouseUnavailableError extends ClickHouseError {
  constructor(
    message: string,
    code?: number,
    options?: { cause?: unknown; kind?: StoreFailureKind },
  ) {
    super(message, true, code, options);
    this.name = "ClickHouseUnavailableError";
  }
}

/**
 * The server refused the request: bad SQL, unknown table, wrong types, authentication or TLS
 * verification failure, or rows it cannot take (`rejectsRows`). Retrying the same request
 * cannot succeed.
 */
export class ClickHouseQueryError extends ClickHouseError {
  constructor(
    message: string,
    code?: number,
    options?: { cause?: unknown; kind?: StoreFailureKind },
  ) {
    super(message, false, code, options);
    this.name = "ClickHouseQueryError";
  }
}

/** Whether `error` is a store failure that may succeed when retried later. */
export function isRetryableStoreError(error: unknown): boolean {
  return error instanceof ClickHouseError && error.retryable;
}

/** Whether the server refused the rows themselves: isolate them, never retry them. */
export function rejectsRows(error: unknown): error is ClickHouseError {
  return error instanceof ClickHouseError && ROW_KINDS.has(error.kind);
}

/** Whether `error` is an outage (connection, timeout, overload, memory). */
export function isOutage(error: unknown): boolean {
  return error instanceof ClickHouseError && OUTAGE_KINDS.has(error.kind);
}

/** ClickHouse error codes by the kind of failure they mean (codes not listed: "refused"). */
const CODE_KINDS: ReadonlyMap<number, StoreFailureKind> = new Map<number, StoreFailureKind>([
  // Outages: temporarily unable, not a wrong request.
  [159, "timeout"], // TIMEOUT_EXCEEDED
  [160, "timeout"], // TOO_SLOW
  [209, "timeout"], // SOCKET_TIMEOUT
  [202, "overload"], // TOO_MANY_SIMULTANEOUS_QUERIES
  [236, "overload"], // ABORTED
  [242, "overload"], // TABLE_IS_READ_ONLY (a replica lost its coordinator)
  [252, "overload"], // TOO_MANY_PARTS (merges behind)
  [394, "overload"], // QUERY_WAS_CANCELLED
  [425, "overload"], // SYSTEM_ERROR
  [999, "overload"], // KEEPER_EXCEPTION
  [241, "memory"], // MEMORY_LIMIT_EXCEEDED
  [203, "connection"], // NO_FREE_CONNECTION
  [210, "connection"], // NETWORK_ERROR
  [279, "connection"], // ALL_CONNECTION_TRIES_FAILED
  [285, "connection"], // TOO_FEW_LIVE_REPLICAS
  [319, "connection"], // UNKNOWN_STATUS_OF_INSERT
  // The rows: the server cannot read or accept the values it was sent.
  [6, "parse"], // CANNOT_PARSE_TEXT
  [25, "parse"], // CANNOT_PARSE_ESCAPE_SEQUENCE (e.g. a lone surrogate escape)
  [26, "parse"], // CANNOT_PARSE_QUOTED_STRING
  [27, "parse"], // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  [32, "parse"], // ATTEMPT_TO_READ_AFTER_EOF
  [33, "parse"], // CANNOT_READ_ALL_DATA
  [38, "parse"], // CANNOT_PARSE_DATE
  [41, "parse"], // CANNOT_PARSE_DATETIME
  [72, "parse"], // CANNOT_PARSE_NUMBER
  [117, "parse"], // INCORRECT_DATA
  [53, "type"], // TYPE_MISMATCH
  [70, "type"], // CANNOT_CONVERT_TYPE
  [190, "type"], // SIZES_OF_ARRAYS_DOESNT_MATCH
  [349, "type"], // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  [69, "size"], // ARGUMENT_OUT_OF_BOUND
  [128, "size"], // TOO_LARGE_ARRAY_SIZE
  [131, "size"], // TOO_LARGE_STRING_SIZE (too long)
  [395, "check"], // FUNCTION_THROW_IF_VALUE_IS_NON_ZERO (a throwIf in a materialized view)
  [469, "check"], // VIOLATED_CONSTRAINT
]);

/**
 * ClickHouse error codes meaning "temporarily unable", not "wrong request": timeouts, overload,
 * memory pressure, too many parts, network trouble between servers, read-only replicas.
 */
export const RETRYABLE_CLICKHOUSE_CODES: ReadonlySet<number> = new Set(
  [...CODE_KINDS].filter(([, kind]) => OUTAGE_KINDS.has(kind)).map(([code]) => code),
);

/** The kind of failure a ClickHouse error code means ("refused" when not a known one). */
export function failureKindOfCode(code: number | undefined, message = ""): StoreFailureKind {
  if (code === undefined) return "refused";
  // 117 also says that the statement names a column the table lacks: a schema problem.
  if (code === 117 && /unknown field/i.test(message)) return "refused";
  // 252 also refuses one INSERT whose rows span too many partitions (current releases: more than
  // 100 days of events in a batch): the rows' spread, which smaller inserts cure, not an overload.
  if (code === 252 && /too many partitions/i.test(message)) return "size";
  return CODE_KINDS.get(code) ?? "refused";
}

/** The right error class for a ClickHouse error code and message (both engines). */
export function errorOfCode(
  code: number | undefined,
  message: string,
  options: { cause?: unknown; unavailable?: boolean } = {},
): ClickHouseError {
  const kind = options.unavailable === true ? "connection" : failureKindOfCode(code, message);
  return OUTAGE_KINDS.has(kind)
    ? new ClickHouseUnavailableError(message, code, { cause: options.cause, kind })
    : new ClickHouseQueryError(message, code, { cause: options.cause, kind });
}

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
  // A proxy or load balancer in front of ClickHouse (or the server itself) answering "not now".
  const gatewayDown = status === 502 || status === 503 || status === 504;
  return errorOfCode(code, text, { unavailable: gatewayDown });
}

/** `text` on one line, storable, at most `limit` code points. */
export function truncate(text: string, limit: number): string {
  return storedText(text.replace(/\s+/g, " "), limit);
}
