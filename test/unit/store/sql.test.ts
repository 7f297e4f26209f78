// sql.ts: identifiers are validated, literals are escaped, fragments compose without re-escaping.
import { describe, expect, it } from "vitest";
import { ident, isIdentifier, join, literal, raw, sql } from "../../../src/store/sql.js";

describe("ident", () => {
  it("back-quotes plain and dotted names", () => {
    expect(ident("predictions").text).toBe("`predictions`");
    expect(ident("driftwatch.predictions").text).toBe("`driftwatch`.`predictions`");
    expect(ident("_x9").text).toBe("`_x9`");
  });

  it.each([
    "",
    "1abc",
    "a-b",
    "a b",
    "a`b",
    "a;DROP TABLE x",
    "db.",
    ".t",
    "a..b",
    "é",
    "x".repeat(129),
    "a\nb",
  ])("refuses %j", (name) => {
    expect(() => ident(name)).toThrow(/invalid SQL identifier/);
    expect(isIdentifier(name)).toBe(false);
  });
});

describe("literal", () => {
  it("quotes strings, escaping quote, backslash and control characters", () => {
    expect(literal("it's").text).toBe("'it\\'s'");
    expect(literal("a\\b").text).toBe("'a\\\\b'");
    expect(literal("l1\nl2\r\t\0").text).toBe("'l1\\nl2\\r\\t\\0'");
  });

  it("renders numbers so they round-trip, negatives parenthesised", () => {
    expect(literal(42).text).toBe("42");
    expect(literal(-3).text).toBe("(-3)");
    expect(Number(literal(0.1).text)).toBe(0.1);
    expect(literal(Number.NaN).text).toBe("nan");
    expect(literal(-Infinity).text).toBe("-inf");
    expect(literal(12345678901234567890n).text).toBe("12345678901234567890");
  });

  it("renders null, booleans, dates and arrays", () => {
    expect(literal(null).text).toBe("NULL");
    expect(literal(true).text).toBe("1");
    expect(literal(new Date("2026-11-23T08:00:00.900Z")).text).toBe("toDateTime(1795420800)");
    expect(literal(["a", 1, null]).text).toBe("['a', 1, NULL]");
  });

  it("refuses values it cannot express", () => {
    expect(() => literal({ a: 1 })).toThrow(/cannot express/);
  });
});

describe("sql template", () => {
  it("escapes interpolated values and splices fragments as they are", () => {
    const model = "m'; DROP TABLE t; --";
    const statement = sql`SELECT count() FROM ${ident("db.t")} WHERE model = ${model} AND ${raw("1 = 1")}`;
    expect(statement.text).toBe(
      "SELECT count() FROM `db`.`t` WHERE model = 'm\\'; DROP TABLE t; --' AND 1 = 1",
    );
  });

  it("nests fragments and joins lists", () => {
    const where = join([sql`a = ${1}`, sql`b = ${"x"}`], " AND ");
    expect(sql`SELECT * FROM t WHERE ${where}`.text).toBe(
      "SELECT * FROM t WHERE a = 1 AND b = 'x'",
    );
  });
});
