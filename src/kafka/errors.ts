// Kafka failures the callers act on: records a broker refuses for what they are (too large,
// invalid) cannot be sent again as they are; anything else (leader moves, timeouts, brokers
// down) may succeed when retried later.

/** Broker error types that refuse the records themselves, not the moment. */
const RECORD_REJECTIONS: ReadonlySet<string> = new Set([
  "MESSAGE_TOO_LARGE",
  "RECORD_LIST_TOO_LARGE",
  "INVALID_RECORD",
  "CORRUPT_MESSAGE",
  "INVALID_TIMESTAMP",
]);

/** The broker refused records for what they are; sending the same records again cannot succeed. */
export class KafkaRecordsRejectedError extends Error {
  constructor(
    /** The broker's error type, e.g. MESSAGE_TOO_LARGE. */
    readonly type: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "KafkaRecordsRejectedError";
  }
}

/** The broker error type refusing the records somewhere in `error`'s cause chain, if any. */
export function recordRejectionType(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === "string" && RECORD_REJECTIONS.has(type)) return type;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
