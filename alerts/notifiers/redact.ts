// Secrets never leave an integration: every error text is passed through a redactor that knows
// the integration's secrets (tokens, passwords, webhook URLs, signing secrets).
import { storedText } from "../../src/util/index.js";

export const REDACTED = "[redacted]";

export type Redactor = (text: string) => string;

/** A redactor hiding each secret (and its URL-encoded form) wherever it appears. */
export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    needles.add(secret);
    needles.add(encodeURIComponent(secret));
    needles.add(Buffer.from(secret).toString("base64"));
    // A secret URL (Slack incoming webhook) is secret by its path: hide each long segment too.
    if (/^https?:\/\//.test(secret)) {
      try {
        for (const segment of new URL(secret).pathname.split("/")) {
          if (segment.length >= 8) needles.add(decodeURIComponent(segment));
        }
      } catch {
        // not a URL after all
      }
    }
  }
  // Longest first, so a secret containing another is hidden whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const needle of ordered) result = result.split(needle).join(REDACTED);
    // Bearer/basic credentials in echoed headers, whoever's they are.
    return result.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`);
  };
}

/** Error → one line of text, truncated. */
export function describeError(error: unknown, limit = 500): string {
  const text =
    error instanceof Error
      ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`
      : String(error);
  return storedText(text.replace(/\s+/g, " ").trim(), limit);
}
