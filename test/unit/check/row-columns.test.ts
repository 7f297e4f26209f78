// The columns `check` keeps row by row (scores, predictions, labels) read from CSV: plain cells go
// through the fast paths (numbers parsed in place, labels of up to three bytes known by their
// bytes), quoted and longer ones through the general path, with the same result — label codes in
// order of first appearance, numbers by value (1, 1.0, "1" one class), missing values −1 / NaN.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readColumns } from "../../../src/check/read-columns.js";
import { CHECK_READ_OPTIONS } from "../../../src/check/read-options.js";
import type { RowColumnRequest } from "../../../src/check/row-columns.js";

const directory = mkdtempSync(join(tmpdir(), "dw-check-row-columns-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const REQUESTS: RowColumnRequest[] = [
  { name: "score", kind: "number", flag: "--score-column" },
  { name: "label", kind: "label", flag: "--label-column" },
];

async function read(csv: string, naValues: readonly string[]) {
  const path = join(directory, `rows-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, csv);
  const file = await readColumns(path, "reference", {
    modeFor: () => null,
    options: { ...CHECK_READ_OPTIONS, naValues, delimiter: "," },
    rowColumns: REQUESTS,
  });
  const table = file.rowTable!;
  return {
    scores: [...table.columns.get("score")!.values],
    codes: [...table.columns.get("label")!.values],
    keys: table.columns.get("label")!.keys,
  };
}

describe("row-by-row columns from CSV", () => {
  it("short and long, plain and quoted labels; numbers by value; missing values", async () => {
    const csv = [
      "x,score,label",
      "1,0.25,1",
      "2,0.5,0",
      '3,"0.75","1"',
      "4,1e-1,1.0",
      "5,,NA",
      "6,0.125,",
      "7,0.5,yes",
      "8,0.5,é",
      "9,0.5,spam",
      "10,0.5,0",
      '11,0.5,"NA"',
      "12,0.5,é",
    ].join("\n");
    const { scores, codes, keys } = await read(csv, ["NA"]);
    expect(scores).toEqual([0.25, 0.5, 0.75, 0.1, NaN, 0.125, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(codes).toEqual([0, 1, 0, 0, -1, -1, 2, 3, 4, 1, -1, 3]);
    expect(keys).toEqual(["1", "0", "yes", "é", "spam"]);
  });

  it("a missing value that reads as a number (-999) in a score column", async () => {
    const csv = "x,score,label\n1,-999,1\n2,0.5,-99\n3,0.25,0\n";
    const { scores, codes, keys } = await read(csv, ["-999", "-99"]);
    expect(scores).toEqual([NaN, 0.5, 0.25]);
    expect(codes).toEqual([0, -1, 1]);
    expect(keys).toEqual(["1", "0"]);
  });

  it("a score cell that is not a number is refused naming the line", async () => {
    await expect(read("x,score,label\n1,0.5,1\n2,high,0\n", [])).rejects.toThrow(
      /line 3: --score-column column "score": "high" is not a number/,
    );
  });
});
