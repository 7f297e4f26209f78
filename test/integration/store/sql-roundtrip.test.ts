// Escaping round-trip on both engines: nasty strings and numbers go through `literal` into a real
// SELECT and through JSONEachRow inserts, and come back unchanged on ClickHouse 18.16 and on chdb;
// RowBinary replies decode to the same strings and bit-identical Float64 arrays.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  dropDatabase,
  ensureDatabase,
  ident,
  join,
  qualifiedName,
  RowBinaryReader,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { ENGINES, uniqueDatabase } from "../../support/stack.js";

const NASTY_STRINGS = [
  "",
  "plain",
  "it's",
  "''",
  "\\",
  "\\'",
  "ends with backslash\\",
  'double "quotes"',
  "back`tick",
  "line1\nline2\r\nline3",
  "tab\there",
  "nul\0byte",
  "\b\f\v\u0001\u001f\u007f",
  "unicode: café, 日本語, emoji 🧪, combining e\u0301",
  "${VAR} $1 %s {x:String} ?",
  "'; DROP TABLE x; --",
  "/* comment */ -- comment",
  "\\N",
  "\\x41\\u0041",
];

const NUMBERS = [0, 1, -1, 0.1, -2.5e-300, 1e300, 123456789.12345679, 2 ** 53, -(2 ** 31), Math.PI];

for (const engineUnderTest of ENGINES) {
  describe(`SQL escaping on ${engineUnderTest.name}`, () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("sql");

    beforeAll(async () => {
      engine = await engineUnderTest.open();
      await ensureDatabase(engine, database);
    });

    afterAll(async () => {
      await dropDatabase(engine, database);
      await engine.close();
    });

    it("every nasty string comes back unchanged from a SELECT of its literal", async () => {
      const selects = NASTY_STRINGS.map((value, index) => sql`${value} AS ${ident(`s${index}`)}`);
      const statement = sql`SELECT ${join(selects)}`;
      const [row] = await engine.query<Record<string, string>>(statement);
      NASTY_STRINGS.forEach((value, index) =>
        expect(row?.[`s${index}`], JSON.stringify(value)).toBe(value),
      );
    });

    it("string literals compare equal to the bytes they denote", async () => {
      const [row] = await engine.query<{ n: number; h: string }>(
        sql`SELECT length(${"é\0'"}) AS n, hex(${"\\\n"}) AS h`,
      );
      expect(row).toEqual({ n: 4, h: "5C0A" });
    });

    it("numbers, arrays and NULL keep their values", async () => {
      const numberColumns = NUMBERS.map((value, index) => sql`${value} AS ${ident(`n${index}`)}`);
      const [row] = await engine.query<Record<string, unknown>>(
        sql`SELECT ${join(numberColumns)}, ${NASTY_STRINGS} AS strings, ${[1.5, -2.25]} AS floats, ${null} AS nothing`,
      );
      NUMBERS.forEach((value, index) => expect(row?.[`n${index}`], String(value)).toBe(value));
      expect(row?.strings).toEqual(NASTY_STRINGS);
      expect(row?.floats).toEqual([1.5, -2.25]);
      expect(row?.nothing).toBeNull();
    });

    it("dates become the same epoch second", async () => {
      const moment = new Date("2026-11-23T08:00:00.123Z");
      const [row] = await engine.query<{ epoch: number }>(
        sql`SELECT toUnixTimestamp(${moment}) AS epoch`,
      );
      expect(row?.epoch).toBe(Math.floor(moment.getTime() / 1000));
    });

    it("inserted rows (JSONEachRow) come back unchanged, raw bytes included", async () => {
      await applyMigrations(engine, database);
      const rawBytes = Buffer.from([0xff, 0xfe, 0x00, 0x22, 0x5c, 0x0a, 0xc3, 0x28]); // not UTF-8
      const rows = NASTY_STRINGS.map((text, index) => ({
        received_at: new Date(Date.UTC(2026, 10, 23, 8, 0, index)),
        topic: text,
        partition: index,
        offset: 2 ** 40 + index,
        reason: "invalid_json",
        detail: text,
        raw: index === 0 ? rawBytes : text,
        key: "",
      }));
      await engine.insert(qualifiedName(database, "dead_letters"), rows);
      const back = await engine.query<{
        topic: string;
        detail: string;
        partition: number;
        offset: number;
        raw_hex: string;
      }>(
        sql`SELECT topic, detail, ${ident("partition")}, ${ident("offset")}, hex(raw) AS raw_hex
FROM ${tableRef(database, "dead_letters")} ORDER BY ${ident("partition")}`,
      );
      expect(back.map((row) => row.topic)).toEqual(NASTY_STRINGS);
      expect(back.map((row) => row.detail)).toEqual(NASTY_STRINGS);
      expect(back.map((row) => row.offset)).toEqual(rows.map((row) => row.offset));
      expect(back[0]?.raw_hex).toBe(rawBytes.toString("hex").toUpperCase());
      expect(back[5]?.raw_hex).toBe(
        Buffer.from(NASTY_STRINGS[5]!, "utf8").toString("hex").toUpperCase(),
      );
    });

    it("a value used in WHERE matches exactly the row holding it", async () => {
      for (const value of ["it's", "\\", "nul\0byte", "line1\nline2\r\nline3"]) {
        const [row] = await engine.query<{ n: number }>(
          sql`SELECT count() AS n FROM ${tableRef(database, "dead_letters")} WHERE topic = ${value}`,
        );
        expect(row?.n, JSON.stringify(value)).toBe(1);
      }
    });

    it("RowBinary replies decode to the same strings and bit-identical numbers", async () => {
      // Long arrays (multi-byte lengths), extreme and subnormal values, every nasty string as a
      // name.
      const values = [...NUMBERS, Number.MIN_VALUE, -1e-310, 1.7976931348623157e308];
      const long = Array.from({ length: 300 }, (_, i) => (i - 150) / 7);
      const floats = (numbers: number[]) =>
        sql`[${join(numbers.map((n) => sql`toFloat64(${n})`))}]`;
      const reply = await engine.queryRowBinary(
        sql`SELECT name, values FROM (SELECT arrayJoin(${NASTY_STRINGS}) AS name,
    if(length(name) % 2 = 0, ${floats(values)}, ${floats(long)}) AS values)`,
      );
      const decoded: [string, number[]][] = [];
      for (const reader = new RowBinaryReader(reply); !reader.done;) {
        decoded.push([reader.string(), Array.from(reader.float64Array())]);
      }
      expect(decoded).toEqual(
        NASTY_STRINGS.map((name) => [name, Buffer.byteLength(name) % 2 === 0 ? values : long]),
      );
      expect(() => new RowBinaryReader(reply.subarray(0, reply.length - 1)).string()).not.toThrow();
      const truncated = new RowBinaryReader(reply.subarray(0, 5));
      expect(() => {
        while (!truncated.done) {
          truncated.string();
          truncated.float64Array();
        }
      }).toThrow(/short of a value/);
    });
  });
}
