// Reference dataset files (reference set --file): CSV and JSONL rows as the monitor stores them.
import { describe, expect, it } from "vitest";
import { parseCsv, parseJsonl } from "../../../src/monitor/dataset-file.js";

describe("reference dataset files", () => {
  it("reads CSV: numbers, empty cells missing, quoted fields with commas, quotes and line breaks", () => {
    const rows = parseCsv(
      'age,region,"od280/od315, ratio",note\r\n42,EU,1.5e3,"say ""hi""\nthere"\n,,-0.25,\n',
    );
    expect(rows).toEqual([
      { age: 42, region: "EU", "od280/od315, ratio": 1500, note: 'say "hi"\nthere' },
      { age: null, region: null, "od280/od315, ratio": -0.25, note: null },
    ]);
  });

  it("names the line of a CSV row with the wrong number of fields", () => {
    expect(() => parseCsv("a,b\n1,2\n3\n")).toThrow(/line 3: has 1 fields, the header has 2/);
  });

  it("reads JSONL: null missing, empty string a category, objects rejected by field", () => {
    expect(parseJsonl('{"a": 1, "b": "", "c": null, "d": true}\n\n')).toEqual([
      { a: 1, b: "", c: null, d: true },
    ]);
    expect(() => parseJsonl('{"a": 1}\n{"a": {"x": 1}}\n')).toThrow(/line 2: a: must be a number/);
    expect(() => parseJsonl("[1]\n")).toThrow(/line 1: must be a JSON object/);
  });
});
