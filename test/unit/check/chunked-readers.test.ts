// The CSV and JSONL readers give the same columns whatever the chunking of the file: 1-byte chunks
// split quoted fields, CRLF pairs, the BOM and multi-byte UTF-8 characters.
import { describe, expect, it } from "vitest";
import type { CollectMode } from "../../../src/check/column-collector.js";
import { readCsv } from "../../../src/check/csv-reader.js";
import type { FileChunks } from "../../../src/check/file-chunks.js";
import { readJsonl } from "../../../src/check/jsonl-reader.js";
import type { FileColumns } from "../../../src/check/read-plan.js";

function chunked(content: Buffer, size: number): FileChunks {
  return {
    size: content.length,
    async *chunks(): AsyncIterable<Buffer> {
      for (let offset = 0; offset < content.length; offset += size) {
        yield Buffer.from(content.subarray(offset, offset + size));
      }
    },
  };
}

/** A comparable summary of what a read collected. */
function summary(file: FileColumns): unknown {
  return {
    rows: file.rows,
    names: file.columnNames,
    columns: [...file.columns.values()].map((column) => ({
      name: column.name,
      kind: column.kind,
      values: [...column.values],
      counts: Object.fromEntries(column.counts),
      missing: column.missing,
    })),
  };
}

const modeFor = (name: string): CollectMode => (name.startsWith("city") ? "categorical" : "infer");

describe("readers across chunk boundaries", () => {
  it("CSV: 1-byte to 7-byte chunks read the same as the whole file", async () => {
    const content = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(
        'city,amount,"note, quoted"\r\n' +
          'Zürich,12.5,"line one\r\nline ""two"""\r\n' +
          "東京,-3e2,plain\r\n" +
          '"São Paulo",,""\r\n' +
          'Zürich,0.000001,"x"\r\n',
      ),
    ]);
    const whole = summary(await readCsv("t.csv", chunked(content, content.length), { modeFor }));
    expect(whole).toEqual({
      rows: 4,
      names: ["city", "amount", "note, quoted"],
      columns: [
        {
          name: "city",
          kind: "categorical",
          values: [],
          counts: { Zürich: 2, 東京: 1, "São Paulo": 1 },
          missing: 0,
        },
        { name: "amount", kind: "numeric", values: [12.5, -300, 0.000001], counts: {}, missing: 1 },
        // Mixed: to be read again as categories; nothing is counted in this pass.
        { name: "note, quoted", kind: "mixed", values: [], counts: {}, missing: 4 },
      ],
    });
    for (let size = 1; size <= 7; size++) {
      expect(summary(await readCsv("t.csv", chunked(content, size), { modeFor }))).toEqual(whole);
    }
  });

  it("JSONL: 1-byte to 7-byte chunks read the same as the whole file", async () => {
    const content = Buffer.from(
      '\ufeff{"city": "Zürich", "amount": 12.5}\r\n{"city": "東京", "amount": null}\n\n{"city": "", "amount": -1}',
    );
    const whole = summary(
      await readJsonl("t.jsonl", chunked(content, content.length), { modeFor }),
    );
    expect(whole).toEqual({
      rows: 3,
      names: ["city", "amount"],
      columns: [
        {
          name: "city",
          kind: "categorical",
          values: [],
          counts: { Zürich: 1, 東京: 1, "": 1 },
          missing: 0,
        },
        { name: "amount", kind: "numeric", values: [12.5, -1], counts: {}, missing: 1 },
      ],
    });
    for (let size = 1; size <= 7; size++) {
      expect(summary(await readJsonl("t.jsonl", chunked(content, size), { modeFor }))).toEqual(
        whole,
      );
    }
  });
});
