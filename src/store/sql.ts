// The one place SQL text is built from values: identifiers are validated, literals escaped.
// Every other module composes SQL through `sql`, `ident` and `literal`; never by concatenating input.
import { storedText } from "../util/index.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A fragment of SQL text that is already safe to splice into a statement. */
export class SqlFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Raw SQL written by driftwatch itself (never user input). */
export function raw(text: string): SqlFragment {
  return new SqlFragment(text);
}

/** A validated identifier (database, table or column name), back-quoted. Dotted names are split. */
export function ident(name: string): SqlFragment {
  const parts = name.split(".");
  for (const part of parts) {
    if (!IDENTIFIER.test(part)) {
      throw new Error(
        `invalid SQL identifier ${JSON.stringify(name)}: each part must match ${IDENTIFIER.source}`,
      );
    }
  }
  return new SqlFragment(parts.map((part) => "`" + part + "`").join("."));
}

/** Whether `name` is acceptable to `ident` (for validating config before use). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

const STRING_ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "'": "\\'",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\0": "\\0",
  "\b": "\\b",
  "\f": "\\f",
};

/** The smallest normal Float64; below it (subnormals) literals need another spelling. */
const MIN_NORMAL = 2.2250738585072014e-308;

/** Escape a JS value as a ClickHouse literal (works on 18.16 and current releases). */
export function literal(value: unknown): SqlFragment {
  if (value instanceof SqlFragment) return value;
  if (value === null || value === undefined) return new SqlFragment("NULL");
  if (typeof value === "boolean") return new SqlFragment(value ? "1" : "0");
  if (typeof value === "bigint") return new SqlFragment(value.toString());
  if (typeof value === "number") {
    if (Number.isNaN(value)) return new SqlFragment("nan");
    if (value === Infinity) return new SqlFragment("inf");
    if (value === -Infinity) return new SqlFragment("-inf");
    if (value !== 0 && Math.abs(value) < MIN_NORMAL) {
      // 18.16's parser rejects subnormal literals (e.g. 5e-324): spell out the exact bits.
      const bits = Buffer.alloc(8);
      bits.writeDoubleLE(value);
      return new SqlFragment(`reinterpretAsFloat64(unhex('${bits.toString("hex")}'))`);
    }
    // Negative numbers are parenthesised so `x - -1` style splices stay valid.
    const text = Number.isInteger(value) ? value.toFixed(0) : value.toPrecision(17);
    return new SqlFragment(value < 0 ? `(${text})` : text);
  }
  if (typeof value === "string") {
    // Storable text (a lone surrogate becomes U+FFFD, as the UTF-8 request body would make it).
    return new SqlFragment(
      "'" + storedText(value).replace(/[\\'\n\r\t\0\b\f]/g, (c) => STRING_ESCAPES[c]!) + "'",
    );
  }
  if (value instanceof Date) {
    // toDateTime of epoch seconds is time-zone independent on every server version.
    return new SqlFragment(`toDateTime(${Math.floor(value.getTime() / 1000)})`);
  }
  if (Array.isArray(value)) {
    return new SqlFragment("[" + value.map((item) => literal(item).text).join(", ") + "]");
  }
  throw new Error(`cannot express a ${typeof value} as a SQL literal`);
}

/**
 * Tagged template for SQL: interpolated values become escaped literals, except `SqlFragment`s
 * (from `ident`, `raw` or a nested `sql`) which are spliced as they are.
 *
 *   sql`SELECT count() FROM ${ident(table)} WHERE model = ${model}`
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  let text = strings[0] ?? "";
  values.forEach((value, index) => {
    text += literal(value).text + (strings[index + 1] ?? "");
  });
  return new SqlFragment(text);
}

/** Join fragments with a separator (for column lists, WHERE clauses). */
export function join(fragments: readonly SqlFragment[], separator = ", "): SqlFragment {
  return new SqlFragment(fragments.map((fragment) => fragment.text).join(separator));
}
