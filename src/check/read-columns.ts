// Reads one input file of `check` by its extension (.csv, or .jsonl / .ndjson) into columns.
import { extname } from "node:path";
import { readCsv } from "./csv-reader.js";
import { CheckInputError } from "./errors.js";
import { openFileChunks } from "./file-chunks.js";
import { readJsonl } from "./jsonl-reader.js";
import type { FileColumns, FileFormat, ReadPlan } from "./read-plan.js";

const FORMATS: Readonly<Record<string, FileFormat>> = {
  ".csv": "csv",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
};

/** The format a file name announces, or a clear error listing the supported extensions. */
export function formatOf(path: string, label: string): FileFormat {
  const format = FORMATS[extname(path).toLowerCase()];
  if (format === undefined) {
    throw new CheckInputError(
      `${label} file ${path}: unsupported file type ${JSON.stringify(extname(path) || "(no extension)")}; ` +
        `use .csv (with a header row) or .jsonl / .ndjson (one JSON object per line)`,
    );
  }
  return format;
}

export async function readColumns(
  path: string,
  label: string,
  plan: ReadPlan,
): Promise<FileColumns> {
  const format = formatOf(path, label);
  const file = await openFileChunks(path, label);
  return format === "csv" ? readCsv(path, file, plan) : readJsonl(path, file, plan);
}
