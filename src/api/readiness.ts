// What /readyz may say about a failing check: a short generic reason, never an internal address
// (ClickHouse URLs, broker lists, IPs, host:port and file paths stay in the log). Shared by the
// API's /readyz and the ingest role's own listener (src/service/metrics-listener.ts).

/** Text without anything address-like: letters, digits, spaces and , ; ' ( ) _ - only. */
const PLAIN = /^[A-Za-z0-9 ,;'()_-]+$/;

/** Generic reasons for checks whose failures carry connection details. */
const GENERIC_REASONS: Readonly<Record<string, string>> = {
  clickhouse: "clickhouse unavailable",
  kafka: "kafka unavailable",
};

/**
 * The reason /readyz shows for check `name` failing with `detail`: the generic one of a known
 * dependency; else each `;`-separated part when plain, or the plain summary before its first
 * `: ` (an error message's own text usually follows it), or "not ready".
 */
export function publicReadinessReason(name: string, detail: string): string {
  const generic = GENERIC_REASONS[name];
  if (generic !== undefined) return generic;
  const parts = detail
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      if (PLAIN.test(part)) return part;
      const summary = part.split(": ")[0]!.trim();
      return summary !== part && PLAIN.test(summary) ? summary : "not ready";
    });
  return parts.length === 0 ? "not ready" : [...new Set(parts)].join("; ");
}

/**
 * Logs a check's detailed reason when it changes (not on every probe), and its recovery.
 * `log(detail)` is called with the new detail, "" meaning ready again.
 */
export function readinessChangeLogger(
  log: (name: string, detail: string, previous: string) => void,
): (name: string, detail: string) => void {
  const last = new Map<string, string>();
  return (name, detail) => {
    const previous = last.get(name) ?? "";
    if (previous === detail) return;
    last.set(name, detail);
    log(name, detail, previous);
  };
}
