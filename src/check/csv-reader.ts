// Reads a CSV file (header row, RFC 4180 quoting, empty cell = missing) into per-column collectors,
// streaming: numbers are parsed straight from the bytes, categories counted as they pass.
import { ColumnCollector } from "./column-collector.js";
import { type CsvRecord, CsvRecordParser, fieldBytes } from "./csv-record-parser.js";
import { CheckInputError } from "./errors.js";
import type { FileChunks } from "./file-chunks.js";
import { parseDecimal } from "./parse-number.js";
import type { FileColumns, ReadPlan } from "./read-plan.js";

// Cells are decoded one by one: a U+FEFF at the start of a cell is data, kept (the file's BOM is
// dropped by the record parser).
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function headerNames(record: CsvRecord, path: string): string[] {
  const names: string[] = [];
  for (let index = 0; index < record.fieldCount; index++) {
    try {
      names.push(utf8.decode(fieldBytes(record, index)));
    } catch {
      throw new CheckInputError(
        `${path}: line ${record.line}: header field ${index + 1} is not valid UTF-8; save the file as UTF-8`,
      );
    }
  }
  return names;
}

export async function readCsv(
  path: string,
  file: FileChunks,
  plan: ReadPlan,
): Promise<FileColumns> {
  let names: string[] | null = null;
  let width = 0;
  let collectors: (ColumnCollector | null)[] = [];
  let rows = 0;
  const warnings: string[] = [];

  const onHeader = (record: CsvRecord): void => {
    names = headerNames(record, path);
    width = names.length;
    const seen = new Set<string>();
    collectors = names.map((name, index) => {
      if (name === "") {
        warnings.push(`${path}: column ${index + 1} has no name in the header row: skipped`);
        return null;
      }
      if (seen.has(name)) {
        throw new CheckInputError(
          `${path}: line ${record.line}: column name ${JSON.stringify(name)} appears twice in the header row`,
        );
      }
      seen.add(name);
      const mode = plan.modeFor(name);
      return mode === null ? null : new ColumnCollector(name, mode, true);
    });
  };

  const onRecord = (record: CsvRecord): void => {
    if (names === null) {
      onHeader(record);
      return;
    }
    if (record.fieldCount !== width) {
      throw new CheckInputError(
        `${path}: line ${record.line}: ${record.fieldCount} field${record.fieldCount === 1 ? "" : "s"}, ` +
          `but the header row has ${width}`,
      );
    }
    rows++;
    const { bytes, starts, ends, escaped } = record;
    for (let index = 0; index < width; index++) {
      const collector = collectors[index];
      if (collector === null) continue;
      const start = starts[index];
      const end = ends[index];
      if (start === end) continue; // empty cell: missing
      if (collector.inferring) {
        let value: number;
        if (escaped[index] === 0) {
          value = parseDecimal(bytes, start, end);
        } else {
          const text = fieldBytes(record, index);
          if (text.length === 0) continue;
          value = parseDecimal(text, 0, text.length);
        }
        if (value === value) collector.values!.push(value);
        else collector.markMixed();
      } else if (collector.categorical) {
        if (escaped[index] === 0) {
          collector.addCategory(bytes.toString("latin1", start, end));
        } else {
          const text = fieldBytes(record, index);
          if (text.length > 0) collector.addCategory(text.toString("latin1"));
        }
      }
    }
  };

  const parser = new CsvRecordParser(onRecord, path);
  let bytesRead = 0;
  let reserved = false;
  for await (const chunk of file.chunks(plan.signal)) {
    parser.push(chunk);
    bytesRead += chunk.length;
    plan.onProgress?.(bytesRead, file.size);
    if (!reserved && rows >= 100) {
      // Size the numeric arrays once from the bytes per row so far (+2%): no copies on growth.
      reserved = true;
      const estimatedRows = Math.ceil(((rows * file.size) / bytesRead) * 1.02) + 16;
      for (const collector of collectors) {
        if (collector?.inferring === true) collector.values!.reserve(estimatedRows);
      }
    }
  }
  parser.end();

  if (names === null) throw new CheckInputError(`${path}: file is empty (no header row)`);
  if (rows === 0) throw new CheckInputError(`${path}: header row but no data rows`);
  const columnNames: string[] = names;
  const columns = new Map(
    collectors
      .filter((collector): collector is ColumnCollector => collector !== null)
      .map((collector) => [collector.name, collector.finish(rows, path)] as const),
  );
  return {
    path,
    format: "csv",
    columnNames: columnNames.filter((n) => n !== ""),
    rows,
    columns,
    warnings,
  };
}
