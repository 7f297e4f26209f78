// The CSV record splitter: RFC 4180 quoting, line ends, BOM, and chunk boundaries anywhere.
import { describe, expect, it } from "vitest";
import {
  type CsvRecord,
  CsvRecordParser,
  fieldBytes,
} from "../../../src/check/csv-record-parser.js";
import { CheckInputError } from "../../../src/check/errors.js";

interface Parsed {
  fields: string[];
  line: number;
}

function fieldsOf(record: CsvRecord): string[] {
  const fields: string[] = [];
  for (let index = 0; index < record.fieldCount; index++) {
    fields.push(fieldBytes(record, index).toString("utf8"));
  }
  return fields;
}

function parse(input: string | Buffer, chunkSize = Infinity): Parsed[] {
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  const records: Parsed[] = [];
  const parser = new CsvRecordParser(
    (record) => records.push({ fields: fieldsOf(record), line: record.line }),
    "test.csv",
  );
  const step = Math.min(chunkSize, Math.max(1, bytes.length));
  for (let offset = 0; offset < bytes.length; offset += step) {
    // Copy each chunk: the parser must not rely on chunks staying alive or being contiguous.
    parser.push(Buffer.from(bytes.subarray(offset, offset + step)));
  }
  parser.end();
  return records;
}

/** Parses with every chunk size from 1 to 8 and whole, checking all agree; returns the records. */
function parseAllWays(input: string | Buffer): Parsed[] {
  const whole = parse(input);
  for (let size = 1; size <= 8; size++) expect(parse(input, size)).toEqual(whole);
  return whole;
}

const fields = (records: Parsed[]): string[][] => records.map((record) => record.fields);

describe("CsvRecordParser", () => {
  it("splits plain LF records and keeps empty fields", () => {
    expect(fields(parseAllWays("a,b,c\n1,,3\n,,\n"))).toEqual([
      ["a", "b", "c"],
      ["1", "", "3"],
      ["", "", ""],
    ]);
  });

  it("accepts CRLF and lone CR line ends and a last record without a line break", () => {
    expect(fields(parseAllWays("a,b\r\n1,2\r3,4\r\n5,6"))).toEqual([
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
      ["5", "6"],
    ]);
  });

  it("handles quoted fields with commas, line breaks and doubled quotes", () => {
    const input = 'name,"note, with comma"\r\n"say ""hi""","line1\r\nline2"\n"",x\n';
    expect(fields(parseAllWays(input))).toEqual([
      ["name", "note, with comma"],
      ['say "hi"', "line1\r\nline2"],
      ["", "x"],
    ]);
  });

  it("reports the physical line each record starts on, counting breaks inside quotes", () => {
    const records = parseAllWays('h1,h2\n"a\nb",1\n\nc,"x\r\ny\r\nz"\nd,2\n');
    expect(records.map((record) => record.line)).toEqual([1, 2, 5, 8]);
    expect(fields(records)[2]).toEqual(["c", "x\r\ny\r\nz"]);
  });

  it("skips blank lines", () => {
    expect(fields(parseAllWays("a\n\n1\r\n\r\n2\n\n"))).toEqual([["a"], ["1"], ["2"]]);
  });

  it("strips a UTF-8 byte order mark, even when it arrives a byte at a time", () => {
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("é,b\n1,2\n")]);
    expect(fields(parseAllWays(input))).toEqual([
      ["é", "b"],
      ["1", "2"],
    ]);
  });

  it("keeps text after a closing quote, as Python's csv module does", () => {
    expect(fields(parseAllWays('"ab"c,"x""y" z\n'))).toEqual([["abc", 'x"y z']]);
  });

  it("treats a quote inside an unquoted field as a literal character", () => {
    expect(fields(parseAllWays('5" disk,ok\n'))).toEqual([['5" disk', "ok"]]);
  });

  it("fails with the starting line when a quoted field is never closed", () => {
    for (const size of [1, 3, Infinity]) {
      expect(() => parse('a,b\n1,2\n3,"open\n4,5\n', size)).toThrowError(
        new CheckInputError('test.csv: line 3: quoted field is never closed (missing ")'),
      );
    }
  });

  it("parses a file of only a header, and an empty file as no records", () => {
    expect(fields(parseAllWays("only,header"))).toEqual([["only", "header"]]);
    expect(parse("")).toEqual([]);
    expect(parse(Buffer.from([0xef, 0xbb, 0xbf]))).toEqual([]);
  });

  it("round-trips random tables written with RFC 4180 quoting at random chunk sizes", () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const alphabet = ["a", "b", ",", '"', "\n", "\r", " ", "é", "1", "."];
    for (let trial = 0; trial < 40; trial++) {
      const width = 1 + Math.floor(random() * 4);
      const table: string[][] = [];
      const rowCount = 1 + Math.floor(random() * 6);
      for (let row = 0; row < rowCount; row++) {
        const cells: string[] = [];
        for (let column = 0; column < width; column++) {
          let cell = "";
          const length = Math.floor(random() * 6);
          for (let index = 0; index < length; index++) {
            cell += alphabet[Math.floor(random() * alphabet.length)];
          }
          cells.push(cell);
        }
        // A single empty cell in a one-column table is written quoted ("") to differ from a blank line.
        table.push(cells);
      }
      const text = table
        .map((cells) =>
          cells
            .map((cell) =>
              /[",\r\n]/.test(cell) || (cells.length === 1 && cell === "")
                ? `"${cell.replaceAll('"', '""')}"`
                : cell,
            )
            .join(","),
        )
        .join(random() < 0.5 ? "\n" : "\r\n");
      const chunk = 1 + Math.floor(random() * 9);
      expect(fields(parse(text, chunk))).toEqual(table);
    }
  });
});
