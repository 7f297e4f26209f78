// Reads an uploaded reference dataset (CSV with a header row, JSONL, or Parquet) into rows of
// feature → value: CSV cells that read as finite numbers are numbers, empty cells are missing;
// in JSONL null is missing, "" is a category, and objects or arrays are rejected by field;
// Parquet is read with hyparquet (64-bit integers become numbers, timestamps RFC 3339 text).
import { readFile } from "node:fs/promises";
import { parquetReadObjects } from "hyparquet";
import { MonitorInputError } from "./reference-store.js";

export type DatasetValue = number | string | boolean | null;
export type DatasetRow = Record<string, DatasetValue>;

export type DatasetFormat = "csv" | "jsonl" | "parquet";

export async function readDatasetFile(path: string): Promise<DatasetRow[]> {
  return parseDataset(await readFile(path), datasetFormatOf(path));
}

/** The format a file name implies: .parquet/.pq Parquet, .jsonl/.json/.ndjson JSONL, else CSV. */
export function datasetFormatOf(name: string): DatasetFormat {
  if (/\.(parquet|pq)$/i.test(name)) return "parquet";
  return /\.(jsonl?|ndjson)$/i.test(name) ? "jsonl" : "csv";
}

/** Rows of a dataset file's bytes (a file read, or an artifact downloaded). */
export async function parseDataset(
  bytes: Uint8Array,
  format: DatasetFormat,
): Promise<DatasetRow[]> {
  if (format === "parquet") return parseParquet(bytes);
  const text = new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
  return format === "jsonl" ? parseJsonl(text) : parseCsv(text);
}

/** Parquet rows: numbers, strings, booleans and nulls as they are; nested values are refused. */
export async function parseParquet(bytes: Uint8Array): Promise<DatasetRow[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  let records: Record<string, unknown>[];
  try {
    records = (await parquetReadObjects({ file: file as ArrayBuffer })) as Record<
      string,
      unknown
    >[];
  } catch (error) {
    throw new MonitorInputError(
      "file",
      `is not a readable Parquet file (${(error as Error).message})`,
    );
  }
  return records.map((record, index) => {
    const row: DatasetRow = {};
    for (const [key, value] of Object.entries(record)) row[key] = parquetValue(value, index, key);
    return row;
  });
}

function parquetValue(value: unknown, index: number, key: string): DatasetValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  throw new MonitorInputError(
    `row ${index + 1}: ${key}`,
    "must be a number, string, boolean or null (nested Parquet values are not features)",
  );
}

export function parseJsonl(text: string): DatasetRow[] {
  const rows: DatasetRow[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new MonitorInputError(
        `line ${index + 1}`,
        `invalid JSON (${(error as Error).message})`,
      );
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new MonitorInputError(`line ${index + 1}`, "must be a JSON object");
    }
    const row: DatasetRow = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (value !== null && typeof value === "object") {
        throw new MonitorInputError(
          `line ${index + 1}: ${key}`,
          "must be a number, string, boolean or null",
        );
      }
      row[key] = value as DatasetValue;
    }
    rows.push(row);
  });
  return rows;
}

/** RFC 4180 CSV: quoted fields with "" escapes and line breaks, CRLF or LF records. */
export function parseCsv(text: string): DatasetRow[] {
  const records = csvRecords(text);
  const header = records.shift();
  if (header === undefined) return [];
  return records
    .filter((record) => !(record.length === 1 && record[0] === ""))
    .map((record, index) => {
      if (record.length !== header.length) {
        throw new MonitorInputError(
          `line ${index + 2}`,
          `has ${record.length} fields, the header has ${header.length}`,
        );
      }
      const row: DatasetRow = {};
      header.forEach((name, column) => {
        const cell = record[column]!;
        const number = cell.trim() === "" ? Number.NaN : Number(cell);
        row[name] = cell === "" ? null : Number.isFinite(number) ? number : cell;
      });
      return row;
    });
}

function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
