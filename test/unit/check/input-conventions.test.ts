// Issue 18, items 1–4 at the reader level: NA spellings, categories by value, delimiter detection,
// non-finite numbers alike in CSV and JSONL, limits, and the JSONL line splitter's linear time.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCategoryKey } from "../../../src/check/category-key.js";
import type { CollectMode } from "../../../src/check/column-collector.js";
import { readCsv } from "../../../src/check/csv-reader.js";
import {
  DELIMITER_CANDIDATES,
  detectDelimiter,
  parseDelimiter,
} from "../../../src/check/delimiter.js";
import { CheckInputError } from "../../../src/check/errors.js";
import type { FileChunks } from "../../../src/check/file-chunks.js";
import { JsonlLineSplitter } from "../../../src/check/jsonl-lines.js";
import { readJsonl } from "../../../src/check/jsonl-reader.js";
import { DEFAULT_NA_VALUES, MissingValues } from "../../../src/check/missing-values.js";
import { parseDecimal } from "../../../src/check/parse-number.js";
import { CHECK_READ_OPTIONS, type ReadOptions } from "../../../src/check/read-options.js";

const utf8 = (text: string): Buffer => Buffer.from(text, "utf8");

function inMemory(content: Buffer, chunkSize = content.length || 1): FileChunks {
  return {
    size: content.length,
    async *chunks(): AsyncIterable<Buffer> {
      for (let offset = 0; offset < content.length; offset += chunkSize) {
        yield Buffer.from(content.subarray(offset, offset + chunkSize));
      }
    },
  };
}

const infer = (): CollectMode => "infer";

async function csv(
  text: string,
  options: Partial<ReadOptions> = {},
  modeFor: (name: string) => CollectMode | null = infer,
) {
  return readCsv("t.csv", inMemory(utf8(text)), {
    modeFor,
    options: { ...CHECK_READ_OPTIONS, ...options },
  });
}

describe("missing values (--na-values)", () => {
  it("keeps a numeric column numeric through every default NA spelling, quoted or padded", async () => {
    const cells = DEFAULT_NA_VALUES.filter((value) => value !== "");
    const text = `x\n${cells.map((cell, i) => `${i}\n${cell}\n" ${cell}"`).join("\n")}\n`;
    const file = await csv(text);
    const column = file.columns.get("x")!;
    expect(column.kind).toBe("numeric");
    expect(column.nonMissing).toBe(cells.length);
    expect(column.missing).toBe(2 * cells.length);
  });

  it("applies before kinds: a numeric NA value such as -999 is missing, and --na-values replaces the list", async () => {
    const withSentinel = await csv("x\n1\n-999\n2\nNA\n", { naValues: ["-999", "NA"] });
    expect([...withSentinel.columns.get("x")!.values]).toEqual([1, 2]);
    const emptyOnly = await csv("x\n1\nNA\n", { naValues: [] });
    expect(emptyOnly.columns.get("x")!.kind).toBe("mixed");
    const whitespace = await csv("x\n1\n  \n", {});
    expect(whitespace.columns.get("x")!.missing).toBe(1);
  });

  it("is missing in categorical columns too, case-sensitive like pandas", async () => {
    const file = await csv("c\nEU\nNA\nnone\nNone\n", {}, () => "categorical");
    expect([...file.columns.get("c")!.counts]).toEqual([
      ["EU", 1],
      ["none", 1],
    ]);
  });

  it("property: a cell is missing exactly when its trimmed text is listed", () => {
    const text = fc.oneof(
      fc.constantFrom(...DEFAULT_NA_VALUES, "na", "NAN", "N/a", " NA ", "\tnull", "-999", "1e400"),
      fc.string({ unit: "grapheme", maxLength: 6 }),
      fc.string({ unit: "binary", maxLength: 6 }), // lone surrogates among others
    );
    fc.assert(
      fc.property(fc.array(text, { maxLength: 5 }), text, (values, cell) => {
        const missing = new MissingValues(values);
        if (cell === "") return;
        const latin1 = Buffer.from(cell, "utf8").toString("latin1");
        const trimmed = cell.replace(/^[ \t]+|[ \t]+$/g, "");
        const listed = values.map((value) => value.replace(/^[ \t]+|[ \t]+$/g, ""));
        const expected = trimmed === "" ? listed.includes("") : listed.includes(trimmed);
        // Lone surrogates encode as U+FFFD on both sides: compare the encoded forms.
        const encoded = (s: string) => Buffer.from(s, "utf8").toString("latin1");
        const expectedEncoded =
          encoded(trimmed) === ""
            ? listed.some((v) => encoded(v) === "")
            : listed.some((v) => encoded(v) === encoded(trimmed));
        expect(missing.isMissing(latin1)).toBe(expectedEncoded);
        if (!/\p{Cs}/u.test(cell + values.join("")))
          expect(missing.isMissing(latin1)).toBe(expected);
      }),
      { seed: 18, numRuns: 500 },
    );
  });
});

describe("number parsing on nasty text (property)", () => {
  it("is a number exactly when the grammar says so, never throws, huge values are ±Infinity", () => {
    const grammar = /^[ \t]*[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity)[ \t]*$/i;
    const nasty = fc.oneof(
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.constantFrom(
        '"1"',
        "1e400",
        "-1e400",
        "1e-400",
        "9".repeat(400),
        "NaN",
        " inf",
        "١٢",
        "1_0",
      ),
      fc.double().map(String),
      fc.bigInt().map((value) => `${value}e${Number(value % 500n)}`),
    );
    fc.assert(
      fc.property(nasty, (text) => {
        const bytes = Buffer.from(`"${text}"`, "utf8");
        const value = parseDecimal(bytes, 1, bytes.length - 1);
        const isNumber = grammar.test(Buffer.from(text, "utf8").toString("latin1"));
        expect(Number.isNaN(value)).toBe(!isNumber);
        if (isNumber && /^[ \t]*[+-]?[\d.]/.test(text)) {
          expect(value).toBe(Number(text.trim()));
        }
      }),
      { seed: 1800, numRuns: 2000 },
    );
  });
});

describe("categories compare by value", () => {
  it("forced columns count numbers by value; booleans are true/false in both formats", async () => {
    const forced = await csv("n,b\n19,True\n19.0,TRUE\n1.9e1,false\nx,yes\n", {}, (name) =>
      name === "n" ? "forced-categorical" : "categorical",
    );
    expect([...forced.columns.get("n")!.counts]).toEqual([
      ["19", 3],
      ["x", 1],
    ]);
    expect([...forced.columns.get("b")!.counts]).toEqual([
      ["true", 2],
      ["false", 1],
      ["yes", 1],
    ]);
    const jsonl = await readJsonl(
      "t.jsonl",
      inMemory(utf8('{"n":19,"b":true}\n{"n":19.0,"b":false}\n{"n":"x","b":true}\n')),
      { modeFor: () => "forced-categorical" },
    );
    expect([...jsonl.columns.get("n")!.counts]).toEqual([
      ["19", 2],
      ["x", 1],
    ]);
    expect([...jsonl.columns.get("b")!.counts]).toEqual([
      ["true", 2],
      ["false", 1],
    ]);
  });

  it("inferred categorical columns keep text as written (zip codes keep their zeros)", () => {
    const key = (text: string, byValue: boolean) =>
      csvCategoryKey(utf8(text), 0, utf8(text).length, byValue);
    expect(key("02799", false)).toBe("02799");
    expect(key("02799", true)).toBe("2799");
    expect(key("-0", true)).toBe("0");
    expect(key("1e400", true)).toBe("Infinity");
  });
});

describe("non-finite numbers, alike in CSV and JSONL", () => {
  it("count as non-finite values of a numeric column in both formats", async () => {
    const fromCsv = (await csv("x\n1\n1e400\n-inf\n2\n")).columns.get("x")!;
    const fromJsonl = (
      await readJsonl("t.jsonl", inMemory(utf8('{"x":1}\n{"x":1e400}\n{"x":-1e400}\n{"x":2}\n')), {
        modeFor: infer,
      })
    ).columns.get("x")!;
    for (const column of [fromCsv, fromJsonl]) {
      expect(column).toMatchObject({ kind: "numeric", nonMissing: 4, missing: 0, nonFinite: 2 });
      expect([...column.values]).toEqual([1, 2]);
    }
  });
});

describe("delimiter", () => {
  it("detects ; tab | and , from the header and the first records, quotes respected", () => {
    expect(detectDelimiter(utf8("a;b;c\n1,5;2;3\n"), true)).toBe(";");
    expect(detectDelimiter(utf8("a\tb\n1\t2\n"), true)).toBe("\t");
    expect(detectDelimiter(utf8("a|b\n1|2\n"), true)).toBe("|");
    expect(detectDelimiter(utf8('"a;x",b\n"1;2",3\n'), true)).toBe(",");
    expect(detectDelimiter(utf8("single\n1\n"), true)).toBe(",");
    expect(detectDelimiter(utf8("\ufeffa;b\n1;2\n"), true)).toBe(";");
  });

  it("reads ; tab and | files into the same columns as a comma file", async () => {
    const comma = await csv("a,b\n1,x\n2,y\n");
    for (const delimiter of [";", "\t", "|"]) {
      const file = await csv(`a${delimiter}b\n1${delimiter}x\n2${delimiter}y\n`);
      expect(file.delimiter).toBe(delimiter);
      expect(file.columnNames).toEqual(comma.columnNames);
      expect([...file.columns.get("a")!.values]).toEqual([1, 2]);
    }
    const given = await csv("a;b\n1;2\n", { delimiter: "," });
    expect(given.columnNames).toEqual(["a;b"]);
  });

  it("parses --delimiter values and refuses quotes, line breaks and long strings", () => {
    expect(parseDelimiter("tab")).toBe("\t");
    expect(parseDelimiter("\\t")).toBe("\t");
    expect(parseDelimiter(";")).toBe(";");
    for (const bad of ['"', "\n", ";;", "é", ""]) {
      expect(() => parseDelimiter(bad)).toThrow(CheckInputError);
    }
  });

  it("property: a table written with any candidate delimiter is detected and read back", async () => {
    const cell = fc.oneof(
      fc.string({ unit: "binary", maxLength: 8 }),
      fc.constantFrom('"', '""', "a,b", "x;y", "p|q", "t\tu", "line\nbreak", "1e400", "-0"),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...DELIMITER_CANDIDATES),
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.array(cell, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        async (delimiter, width, table) => {
          const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
          const header = Array.from({ length: width }, (_, i) => `c${i}`);
          const lines = [header, ...table.map((row) => row.slice(0, width).map(quote))];
          const content = lines.map((row) => row.join(delimiter)).join("\n") + "\n";
          expect(detectDelimiter(utf8(content), true)).toBe(delimiter);
          const file = await csv(content, { naValues: [] }, () => "categorical");
          expect(file.columnNames).toEqual(header);
          expect(file.rows).toBe(table.length);
        },
      ),
      { seed: 2026, numRuns: 300 },
    );
  });
});

describe("limits", () => {
  it("refuses more columns than --max-columns, in CSV and JSONL", async () => {
    await expect(csv("a,b,c\n1,2,3\n", { maxColumns: 2 })).rejects.toThrow(
      /t\.csv: line 1: more than 2 columns \(--max-columns\)/,
    );
    await expect(
      readJsonl("t.jsonl", inMemory(utf8('{"a":1,"b":2,"c":3}\n')), {
        modeFor: infer,
        options: { ...CHECK_READ_OPTIONS, maxColumns: 2 },
      }),
    ).rejects.toThrow(/line 1: more than 2 columns/);
  });

  it("refuses a record or line longer than --max-line-bytes, whatever the chunking", async () => {
    const long = `a\n${"1".repeat(5000)}\n`;
    for (const chunkSize of [7, 4096, long.length]) {
      await expect(
        readCsv("t.csv", inMemory(utf8(long), chunkSize), {
          modeFor: infer,
          options: { ...CHECK_READ_OPTIONS, maxLineBytes: 1000 },
        }),
      ).rejects.toThrow(/line 2: a record longer than 1000 bytes \(--max-line-bytes\)/);
      await expect(
        readJsonl("t.jsonl", inMemory(utf8(`{"a":1}\n{"a":"${"x".repeat(5000)}"}\n`), chunkSize), {
          modeFor: infer,
          options: { ...CHECK_READ_OPTIONS, maxLineBytes: 1000 },
        }),
      ).rejects.toThrow(/line 2: a line longer than 1000 bytes/);
    }
  });

  it("splits JSONL lines looking at each byte once, however a long line is chunked", () => {
    const lineBytes = 2_000_000;
    const content = Buffer.concat([
      utf8('{"a":"'),
      Buffer.alloc(lineBytes, 0x78),
      utf8('"}\n{"a":1}\n'),
    ]);
    const lines: number[] = [];
    const splitter = new JsonlLineSplitter((bytes) => lines.push(bytes.length), "t.jsonl");
    for (let offset = 0; offset < content.length; offset += 1000) {
      splitter.push(content.subarray(offset, offset + 1000));
    }
    splitter.end();
    expect(lines).toEqual([lineBytes + 8, 7]);
    expect(splitter.bytesScanned).toBe(content.length);
  });
});
