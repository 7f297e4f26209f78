// Webhook signing: `X-Driftwatch-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`
// with `X-Driftwatch-Timestamp: <unix seconds>`. `verifySignature` is the receiver's side: it
// checks the HMAC in constant time and refuses timestamps outside the replay window.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Driftwatch-Signature";
export const TIMESTAMP_HEADER = "X-Driftwatch-Timestamp";
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** Default replay window: a signature older or newer than this is refused. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The signature header value for `body` sent at `timestampSeconds`. */
export function computeSignature(
  secret: string,
  timestampSeconds: number,
  body: string | Uint8Array,
): string {
  const hmac = createHmac("sha256", secret);
  hmac.update(`${timestampSeconds}.`);
  hmac.update(body);
  return `sha256=${hmac.digest("hex")}`;
}

/** Both signing headers for a request body. */
export function signatureHeaders(
  secret: string,
  body: string | Uint8Array,
  nowMs: number,
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [SIGNATURE_HEADER]: computeSignature(secret, timestamp, body),
    [TIMESTAMP_HEADER]: String(timestamp),
  };
}

export type SignatureVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "missing" | "malformed" | "stale" | "mismatch" };

export interface VerifySignatureInput {
  readonly secret: string;
  /** The raw request body exactly as received (bytes or text). */
  readonly body: string | Uint8Array;
  /** Value of X-Driftwatch-Signature. */
  readonly signature: string | undefined;
  /** Value of X-Driftwatch-Timestamp. */
  readonly timestamp: string | undefined;
  /** Receiver's current time in ms (default Date.now()). */
  readonly nowMs?: number;
  /** Replay window in seconds (default 300). */
  readonly toleranceSeconds?: number;
}

/** Check a signed request; use the raw body, before any JSON parsing. */
export function verifySignature(input: VerifySignatureInput): SignatureVerdict {
  if (input.signature === undefined || input.timestamp === undefined) {
    return { ok: false, reason: "missing" };
  }
  if (!/^\d{1,12}$/.test(input.timestamp) || !/^sha256=[0-9a-f]{64}$/.test(input.signature)) {
    return { ok: false, reason: "malformed" };
  }
  const timestamp = Number(input.timestamp);
  const nowSeconds = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { ok: false, reason: "stale" };
  }
  const expected = Buffer.from(computeSignature(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? { ok: true }
    : { ok: false, reason: "mismatch" };
}
