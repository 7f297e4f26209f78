// Reading CSV and JSONL files into columns: kind inference, missing values, and bad input.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CollectMode } from "../../../src/check/column-collector.js";
import { readColumns } from "../../../src/check/read-columns.js";

const directory = mkdtempSync(join(tmpdir(), "dw-check-read-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let fileCounter = 0;
function file(extension: string, content: string | Buffer): string {
  const path = join(directory, `input-${fileCounter++}${extension}`);
  writeFileSync(path, content);
  return path;
}

const inferAll = { modeFor: (): CollectMode => "infer" };

describe("readColumns on CSV", () => {
  it("infers numeric and categorical columns and counts empty cells as missing", async () => {
    const path = file(
      ".csv",
      'age,region,"od280/od315_of_diluted_wines",score\r\n42,EU,3.92,\r\n,"US, east",1e-2,7\r\n38,EU,,8\r\n',
    );
    const result = await readColumns(path, "reference", inferAll);
    expect(result.rows).toBe(3);
    expect(result.columnNames).toEqual(["age", "region", "od280/od315_of_diluted_wines", "score"]);
    const age = result.columns.get("age")!;
    expect(age.kind).toBe("numeric");
    expect([...age.values]).toEqual([42, 38]);
    expect(age.missing).toBe(1);
    expect(result.columns.get("region")!.kind).toBe("mixed");
    const wine = result.columns.get("od280/od315_of_diluted_wines")!;
    expect([...wine.values]).toEqual([3.92, 0.01]);
    expect(wine.missing).toBe(1);
    expect(result.columns.get("score")!.nonMissing).toBe(2);
  });

  it("counts categories as UTF-8 text, quoted numbers stay numbers", async () => {
    const path = file(".csv", 'city,n\nZürich,"1"\n"Zürich",2\nSão Paulo,3\n"",4\n');
    const modeFor = (name: string): CollectMode => (name === "city" ? "categorical" : "infer");
    const result = await readColumns(path, "current", { modeFor });
    const city = result.columns.get("city")!;
    expect(city.kind).toBe("categorical");
    expect(Object.fromEntries(city.counts)).toEqual({ Zürich: 2, "São Paulo": 1 });
    expect(city.missing).toBe(1);
    expect([...result.columns.get("n")!.values]).toEqual([1, 2, 3, 4]);
  });

  it("marks a column whose every value is missing as empty, and skips unplanned columns", async () => {
    const path = file(".csv", "a,b,c\n1,,x\n2,,y\n");
    const result = await readColumns(path, "reference", {
      modeFor: (name) => (name === "c" ? null : "infer"),
    });
    expect(result.columns.get("b")!.kind).toBe("empty");
    expect(result.columns.get("b")!.missing).toBe(2);
    expect(result.columns.has("c")).toBe(false);
    expect(result.columnNames).toEqual(["a", "b", "c"]);
  });

  it("warns about and skips a column without a name (e.g. a pandas index)", async () => {
    const result = await readColumns(file(".csv", ",x\n0,1\n1,2\n"), "reference", inferAll);
    expect(result.columnNames).toEqual(["x"]);
    expect(result.warnings[0]).toMatch(/column 1 has no name/);
  });

  it("rejects ragged rows with the line number", async () => {
    const path = file(".csv", 'a,b\n1,2\n"multi\nline",3\n4,5,6\n');
    await expect(readColumns(path, "current", inferAll)).rejects.toThrow(
      `${path}: line 5: 3 fields, but the header row has 2`,
    );
  });

  it("rejects an empty file, a header without rows, and a duplicate column name", async () => {
    const empty = file(".csv", "");
    await expect(readColumns(empty, "reference", inferAll)).rejects.toThrow(
      `${empty}: file is empty (no header row)`,
    );
    const headerOnly = file(".csv", "a,b\r\n");
    await expect(readColumns(headerOnly, "reference", inferAll)).rejects.toThrow(
      `${headerOnly}: header row but no data rows`,
    );
    const duplicate = file(".csv", "a,b,a\n1,2,3\n");
    await expect(readColumns(duplicate, "reference", inferAll)).rejects.toThrow(
      /column name "a" appears twice/,
    );
  });

  it("rejects text that is not UTF-8, naming the column", async () => {
    const latin1 = file(
      ".csv",
      Buffer.concat([Buffer.from("city\n"), Buffer.from([0x5a, 0xfc, 0x72]), Buffer.from("\n")]),
    );
    await expect(
      readColumns(latin1, "reference", { modeFor: () => "categorical" }),
    ).rejects.toThrow(/column "city": value is not valid UTF-8/);
    const badHeader = file(".csv", Buffer.from([0xff, 0x0a, 0x31, 0x0a]));
    await expect(readColumns(badHeader, "reference", inferAll)).rejects.toThrow(
      /header field 1 is not valid UTF-8/,
    );
  });

  it("gives clear errors for a missing file, a directory, and an unknown extension", async () => {
    await expect(readColumns(join(directory, "nope.csv"), "reference", inferAll)).rejects.toThrow(
      `reference file not found: ${join(directory, "nope.csv")}`,
    );
    const folder = join(directory, "folder.csv");
    rmSync(folder, { force: true, recursive: true });
    (await import("node:fs")).mkdirSync(folder);
    await expect(readColumns(folder, "current", inferAll)).rejects.toThrow(/is a directory/);
    await expect(readColumns(file(".parquet", "x"), "current", inferAll)).rejects.toThrow(
      /unsupported file type "\.parquet"; use \.csv .* or \.jsonl \/ \.ndjson/,
    );
  });
});

describe("readColumns on JSONL", () => {
  it('treats null and absent keys as missing, "" and booleans as categories', async () => {
    const path = file(
      ".jsonl",
      '\ufeff{"age": 42, "region": "EU", "employed": true, "score": null}\r\n' +
        '{"age": 38.5, "region": "", "employed": false}\n\n' +
        '{"region": "EU", "late": 1}',
    );
    const modeFor = (name: string): CollectMode =>
      name === "region" || name === "employed" ? "categorical" : "infer";
    const result = await readColumns(path, "reference", { modeFor });
    expect(result.rows).toBe(3);
    expect(result.columnNames).toEqual(["age", "region", "employed", "score", "late"]);
    const age = result.columns.get("age")!;
    expect([...age.values]).toEqual([42, 38.5]);
    expect(age.missing).toBe(1);
    expect(Object.fromEntries(result.columns.get("region")!.counts)).toEqual({ EU: 2, "": 1 });
    expect(Object.fromEntries(result.columns.get("employed")!.counts)).toEqual({
      true: 1,
      false: 1,
    });
    expect(result.columns.get("score")!.kind).toBe("empty");
    expect(result.columns.get("late")!.missing).toBe(2);
  });

  it("infers a column with strings among numbers as mixed (to be read as categorical)", async () => {
    const path = file(".ndjson", '{"x": 1}\n{"x": "1"}\n');
    const result = await readColumns(path, "current", inferAll);
    expect(result.columns.get("x")!.kind).toBe("mixed");
  });

  it("rejects invalid JSON, non-object lines and nested values with the line number", async () => {
    const broken = file(".jsonl", '{"a": 1}\n{"a": 2,}\n');
    await expect(readColumns(broken, "reference", inferAll)).rejects.toThrow(
      new RegExp(`${broken}: line 2: not valid JSON`),
    );
    const array = file(".jsonl", '{"a": 1}\n\n[1, 2]\n');
    await expect(readColumns(array, "reference", inferAll)).rejects.toThrow(
      `${array}: line 3: expected a JSON object per line, found an array`,
    );
    const nested = file(".jsonl", '{"a": {"b": 1}}\n');
    await expect(readColumns(nested, "reference", inferAll)).rejects.toThrow(
      `${nested}: line 1: column "a": value is an object; expected a number, string, boolean or null`,
    );
    const empty = file(".jsonl", "\n\n");
    await expect(readColumns(empty, "reference", inferAll)).rejects.toThrow(/no JSON records/);
    const latin1 = file(
      ".jsonl",
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xfc, 0x22, 0x7d]),
    );
    await expect(readColumns(latin1, "reference", inferAll)).rejects.toThrow(/not valid UTF-8/);
  });
});
