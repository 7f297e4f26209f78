// The HTTP call integrations make (injectable), with a per-call timeout, the response body always
// read to the end (kept up to a limit), and the mapping of statuses and transport errors to
// DeliveryResults: 2xx delivered; 429 rate limited with Retry-After; 401/403 auth; 408 timeout;
// other 4xx client errors (not retried); 5xx server errors (retried).
import { storedText } from "../../src/util/index.js";
import { failure, type DeliveryResult } from "./types.js";
import { describeError, type Redactor } from "./redact.js";

export interface HttpRequest {
  readonly url: string;
  readonly method?: "GET" | "POST";
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body text, at most `BODY_LIMIT` characters. */
  readonly body: string;
}

export type HttpCall = (
  request: HttpRequest,
  options: { readonly signal: AbortSignal; readonly timeoutMs: number },
) => Promise<HttpResponse>;

const BODY_LIMIT = 16_384;

/** HTTP over the runtime's fetch. Throws on transport errors (classified by `transportFailure`). */
export const fetchHttpCall: HttpCall = async (request, { signal, timeoutMs }) => {
  const response = await fetch(request.url, {
    method: request.method ?? "POST",
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
    redirect: "manual",
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
  });
  return { status: response.status, headers: response.headers, body: await readLimited(response) };
};

/** Read the whole body (so the connection can be reused) but keep only the first BODY_LIMIT chars. */
async function readLimited(response: Response): Promise<string> {
  if (response.body === null) return "";
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of response.body) {
    if (text.length < BODY_LIMIT) text += decoder.decode(chunk as Uint8Array, { stream: true });
  }
  return storedText(text, BODY_LIMIT);
}

/** Map an HTTP status to a DeliveryResult. */
export function statusResult(
  response: HttpResponse,
  nowMs: number,
  redact: Redactor,
): DeliveryResult {
  const status = response.status;
  if (status >= 200 && status < 300) return { ok: true, responseCode: status };
  const detail = redact(`HTTP ${status}${bodySnippet(response.body)}`);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), nowMs);
    return failure("rate_limited", true, detail, {
      responseCode: status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (status === 401 || status === 403)
    return failure("auth", false, detail, { responseCode: status });
  if (status === 408) return failure("timeout", true, detail, { responseCode: status });
  if (status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), nowMs);
    return failure("server_error", true, detail, {
      responseCode: status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  return failure("client_error", false, detail, { responseCode: status });
}

/** Map a thrown transport error (timeout, refused connection, DNS…) to a retryable failure. */
export function transportFailure(error: unknown, redact: Redactor): DeliveryResult {
  const name = (error as { name?: string } | null)?.name;
  const cause = (error as { cause?: { code?: string; name?: string } } | null)?.cause;
  const text = redact(describeError(cause !== undefined && cause !== null ? cause : error));
  if (
    name === "TimeoutError" ||
    cause?.name === "TimeoutError" ||
    cause?.code === "UND_ERR_HEADERS_TIMEOUT"
  ) {
    return failure("timeout", true, `timed out: ${text}`);
  }
  return failure("network", true, text);
}

/** Retry-After as seconds or an HTTP date → milliseconds from now. */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function bodySnippet(body: string): string {
  const oneLine = body.replace(/\s+/g, " ").trim();
  if (oneLine === "") return "";
  return `: ${storedText(oneLine, 300)}`;
}
