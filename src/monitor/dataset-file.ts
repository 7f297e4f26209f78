// Reads an uploaded reference dataset (CSV with a header row, or JSONL) into rows of
// feature → value: CSV cells that read as finite numbers are numbers, empty cells are missing;
// in JSONL null is missing, "" is a category, and objects or arrays are rejected by field.
import { readFile } from "node:fs/promises";
import { MonitorInputError } from "./reference-store.js";

export type DatasetValue = number | string | boolean | null;
export type DatasetRow = Record<string, DatasetValue>;

export async function readDatasetFile(path: string): Promise<DatasetRow[]> {
  const text = (await readFile(path, "utf8")).replace(/^\uFEFF/, "");
  return /\.jsonl?$/i.test(path) || /\.ndjson$/i.test(path) ? parseJsonl(text) : parseCsv(text);
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
