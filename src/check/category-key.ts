// The category a value counts as, so that the same value is the same category whatever its
// spelling: in columns forced categorical (--categorical), a number counts by its value in its
// shortest form (19, 19.0 and 1.9e1 are "19"; JSON numbers are already values); booleans are
// "true" and "false" in both formats (CSV: true/True/TRUE, false/False/FALSE). Other text is
// compared as written.
import { parseDecimal } from "./parse-number.js";

const BOOLEANS: ReadonlyMap<string, string> = new Map([
  ["true", "true"],
  ["True", "true"],
  ["TRUE", "true"],
  ["false", "false"],
  ["False", "false"],
  ["FALSE", "false"],
]);

/** The category of a number (JSONL numbers; CSV numbers in forced columns). */
export function numberCategory(value: number): string {
  return String(value); // -0 is "0", like 0; 1e400 is "Infinity"
}

/**
 * The category key of CSV cell bytes[start, end), as Latin-1 text of its bytes (decoded as UTF-8
 * later, once per distinct key).
 */
export function csvCategoryKey(
  bytes: Buffer,
  start: number,
  end: number,
  numbersByValue: boolean,
): string {
  if (numbersByValue) {
    const value = parseDecimal(bytes, start, end);
    if (!Number.isNaN(value)) return numberCategory(value);
  }
  const text = bytes.toString("latin1", start, end);
  return end - start <= 5 ? (BOOLEANS.get(text) ?? text) : text;
}
