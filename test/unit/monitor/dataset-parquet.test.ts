// Parquet references (`reference set --file x.parquet`, MLflow dataset artifacts), read with
// hyparquet from a file pandas/pyarrow wrote (Snappy, nullable int64, NaN, timestamps, booleans).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  datasetFormatOf,
  parseDataset,
  readDatasetFile,
} from "../../../src/monitor/dataset-file.js";

const FIXTURE = fileURLToPath(new URL("../../fixtures/mlflow/reference.parquet", import.meta.url));

describe("Parquet datasets", () => {
  it("reads every row with numbers, strings, booleans, times and missing values", async () => {
    expect(await readDatasetFile(FIXTURE)).toEqual([
      { age: 42, income: 52000.5, region: "EU", employed: true, seen: "2026-11-01T08:00:00.000Z" },
      { age: 37, income: null, region: null, employed: false, seen: "2026-11-02T09:30:00.000Z" },
      { age: null, income: 61000, region: "US", employed: true, seen: null },
    ]);
  });

  it("knows formats by extension and refuses bytes that are not Parquet, naming the file", async () => {
    expect(datasetFormatOf("a/ref.PARQUET")).toBe("parquet");
    expect(datasetFormatOf("ref.ndjson")).toBe("jsonl");
    expect(datasetFormatOf("ref.csv")).toBe("csv");
    await expect(parseDataset(new TextEncoder().encode("x,y\n1,2\n"), "parquet")).rejects.toThrow(
      /file: is not a readable Parquet file/,
    );
    const bytes = new Uint8Array(readFileSync(FIXTURE));
    expect(await parseDataset(bytes, "parquet")).toHaveLength(3);
  });
});
