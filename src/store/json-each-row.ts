// Encoding rows as JSONEachRow text for one INSERT, in the forms ClickHouse 18.16 and current
// releases both read: Date → epoch seconds, non-finite floats → "nan"/"inf", byte arrays → raw bytes,
// and every string storable (src/util/text.ts): a lone surrogate, which JSON.stringify would write
// as a "\ud800" escape that ClickHouse refuses, becomes U+FFFD.
import { storedText } from "../util/index.js";

/**
 * One JSON object per line. Rows holding only JSON-native values take the fast path
 * (JSON.stringify); rows with Date, Uint8Array, bigint or non-finite numbers are encoded
 * field by field, and the result becomes a Buffer when it carries raw bytes.
 */
export function encodeJsonEachRow(rows: readonly object[]): string | Buffer {
  const chunks: (string | Uint8Array)[] = [];
  let hasBytes = false;
  let text = "";
  for (const row of rows) {
    if (isPlainRow(row)) {
      text += JSON.stringify(row) + "\n";
      continue;
    }
    const parts: (string | Uint8Array)[] = [];
    encodeObject(row as Record<string, unknown>, parts);
    for (const part of parts) {
      if (typeof part === "string") {
        text += part;
      } else {
        hasBytes = true;
        chunks.push(text, part);
        text = "";
      }
    }
    text += "\n";
  }
  if (!hasBytes) return text;
  chunks.push(text);
  return Buffer.concat(
    chunks.map((chunk) => (typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk)),
  );
}

function isPlainRow(row: object): boolean {
  for (const value of Object.values(row)) {
    if (!isPlainValue(value)) return false;
  }
  for (const key of Object.keys(row)) if (!key.isWellFormed()) return false;
  return true;
}

function isPlainValue(value: unknown): boolean {
  switch (typeof value) {
    case "string":
      return value.isWellFormed();
    case "boolean":
    case "undefined":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object":
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(isPlainValue);
      return false;
    default:
      return false;
  }
}

function encodeObject(row: Record<string, unknown>, parts: (string | Uint8Array)[]): void {
  parts.push("{");
  let first = true;
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    parts.push((first ? "" : ",") + JSON.stringify(storedText(key)) + ":");
    first = false;
    encodeValue(value, parts);
  }
  parts.push("}");
}

function encodeValue(value: unknown, parts: (string | Uint8Array)[]): void {
  if (typeof value === "number") {
    if (Number.isFinite(value)) parts.push(JSON.stringify(value));
    else parts.push(Number.isNaN(value) ? '"nan"' : value > 0 ? '"inf"' : '"-inf"');
  } else if (typeof value === "string") {
    parts.push(JSON.stringify(storedText(value)));
  } else if (typeof value === "bigint") {
    parts.push(value.toString());
  } else if (value instanceof Date) {
    const seconds = Math.floor(value.getTime() / 1000);
    if (!Number.isFinite(seconds)) throw new Error("cannot insert an invalid Date");
    parts.push(String(seconds));
  } else if (value instanceof Uint8Array) {
    parts.push(escapeBytes(value));
  } else if (Array.isArray(value)) {
    parts.push("[");
    value.forEach((item, index) => {
      if (index > 0) parts.push(",");
      encodeValue(item ?? null, parts);
    });
    parts.push("]");
  } else if (value !== null && typeof value === "object") {
    encodeObject(value as Record<string, unknown>, parts);
  } else {
    parts.push(JSON.stringify(value ?? null));
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A JSON string literal holding `bytes` unchanged except for `"`, `\` and control characters. */
function escapeBytes(bytes: Uint8Array): Uint8Array {
  let extra = 0;
  for (const byte of bytes) {
    if (byte === QUOTE || byte === BACKSLASH) extra += 1;
    else if (byte < 0x20) extra += 5;
  }
  const out = new Uint8Array(bytes.length + extra + 2);
  let at = 0;
  out[at++] = QUOTE;
  for (const byte of bytes) {
    if (byte === QUOTE || byte === BACKSLASH) {
      out[at++] = BACKSLASH;
      out[at++] = byte;
    } else if (byte < 0x20) {
      const hex = byte.toString(16).padStart(4, "0");
      out[at++] = BACKSLASH;
      out[at++] = 0x75; // u
      for (const digit of hex) out[at++] = digit.charCodeAt(0);
    } else {
      out[at++] = byte;
    }
  }
  out[at] = QUOTE;
  return out;
}
