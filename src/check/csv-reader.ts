// Reads a CSV file (header row, RFC 4180 quoting, delimiter given or detected, empty cell and the
// --na-values = missing) into per-column collectors, streaming: numbers are parsed straight from
// the bytes, categories counted as they pass; the rows may be cut into chunks on the way.
import { NO_CHUNK, RowChunker } from "./chunks/row-chunker.js";
import { csvCategoryKey } from "./category-key.js";
import { ColumnCollector } from "./column-collector.js";
import { type CsvRecord, CsvRecordParser, fieldBytes } from "./csv-record-parser.js";
import { DETECTION_SAMPLE_BYTES, detectDelimiter } from "./delimiter.js";
import { CheckInputError } from "./errors.js";
import type { FileChunks } from "./file-chunks.js";
import { MissingValues } from "./missing-values.js";
import { parseDecimal } from "./parse-number.js";
import { RAW_READ_OPTIONS } from "./read-options.js";
import type { FileColumns, ReadPlan } from "./read-plan.js";
import { type RowColumnCollector, RowTableCollector } from "./row-columns.js";

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

/** The first bytes of the file (enough to detect the delimiter), and the rest as a stream. */
async function sample(
  chunks: AsyncIterator<Buffer>,
): Promise<{ head: Buffer[]; headBytes: number; done: boolean }> {
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < DETECTION_SAMPLE_BYTES) {
    const next = await chunks.next();
    if (next.done === true) return { head, headBytes, done: true };
    head.push(next.value);
    headBytes += next.value.length;
  }
  return { head, headBytes, done: false };
}

export async function readCsv(
  path: string,
  file: FileChunks,
  plan: ReadPlan,
): Promise<FileColumns> {
  const options = plan.options ?? RAW_READ_OPTIONS;
  const missing = new MissingValues(options.naValues);
  const checkNumbers = missing.matchesNumbers;
  const chunker = plan.chunks === undefined ? null : new RowChunker(plan.chunks, path);
  const chunkColumn = plan.chunks?.kind === "period" ? plan.chunks.column : null;
  let chunkColumnIndex = -1;
  let currentChunk = NO_CHUNK;
  let names: string[] | null = null;
  let width = 0;
  let collectors: (ColumnCollector | null)[] = [];
  let active: ColumnCollector[] = [];
  let rows = 0;
  let delimiter = ",";
  const warnings: string[] = [];
  const table = new RowTableCollector(plan.rowColumns ?? [], true, chunker !== null);
  let rowColumns: [number, RowColumnCollector][] = [];

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
      if (name === chunkColumn) chunkColumnIndex = index;
      const mode = plan.modeFor(name);
      return mode === null ? null : new ColumnCollector(name, mode, true, chunker !== null);
    });
    active = collectors.filter((collector): collector is ColumnCollector => collector !== null);
    rowColumns = [];
    names.forEach((name, index) => {
      const collector = name === "" ? null : table.collectorFor(name);
      if (collector !== null) rowColumns.push([index, collector]);
    });
    if (chunkColumn !== null && chunkColumnIndex < 0) {
      throw new CheckInputError(
        `${path}: --chunk-by: no column named ${JSON.stringify(chunkColumn)} in the header row`,
      );
    }
  };

  /** The text of a cell, or null when it is missing. */
  const cellText = (record: CsvRecord, index: number): string | null => {
    const bytes = fieldBytes(record, index);
    if (bytes.length === 0 || missing.isMissing(bytes.toString("latin1"))) return null;
    try {
      return utf8.decode(bytes);
    } catch {
      throw new CheckInputError(
        `${path}: line ${record.line}: --chunk-by value is not valid UTF-8`,
      );
    }
  };

  /** One cell of a column kept row by row (see row-columns.ts). */
  const rowCell = (record: CsvRecord, index: number, collector: RowColumnCollector): void => {
    if (record.escaped[index] === 0) {
      // Fast paths on the record's bytes (no copy of the cell): a plain number, a short label.
      const { bytes } = record;
      const start = record.starts[index]!;
      const end = record.ends[index]!;
      if (start === end) {
        collector.missing();
        return;
      }
      if (collector.request.kind === "number") {
        const value = checkNumbers ? NaN : parseDecimal(bytes, start, end);
        if (value === value) {
          collector.number(value);
          return;
        }
      } else if (collector.csvShortLabel(bytes, start, end, missing)) {
        return;
      }
    }
    const cell = fieldBytes(record, index);
    if (cell.length === 0) {
      collector.missing();
    } else if (collector.request.kind === "number") {
      const value = parseDecimal(cell, 0, cell.length);
      if (value === value && !(checkNumbers && missing.isMissing(cell.toString("latin1")))) {
        collector.number(value);
      } else if (missing.isMissing(cell.toString("latin1"))) {
        collector.missing();
      } else {
        collector.notANumber(path, record.line, cell.toString("utf8"));
      }
    } else {
      const text = cell.toString("latin1");
      if (missing.isMissing(text)) collector.missing();
      else collector.csvLabel(text, cell);
    }
  };

  const enterChunk = (record: CsvRecord): void => {
    const row = rows - 1;
    const id =
      chunkColumn === null
        ? chunker!.chunkOfRow(row)
        : chunker!.chunkOfTime(row, cellText(record, chunkColumnIndex), record.line);
    if (id === currentChunk) return;
    currentChunk = id;
    for (const collector of active) collector.enterChunk(id);
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
    if (chunker !== null) enterChunk(record);
    if (rowColumns.length > 0) {
      table.row(currentChunk);
      for (const [index, collector] of rowColumns) rowCell(record, index, collector);
    }
    const { bytes, starts, ends, escaped } = record;
    for (let index = 0; index < width; index++) {
      const collector = collectors[index];
      if (collector === null) continue;
      let cell = bytes;
      let start = starts[index];
      let end = ends[index];
      if (start === end) continue; // empty cell: missing
      if (escaped[index] !== 0) {
        cell = fieldBytes(record, index);
        start = 0;
        end = cell.length;
        if (end === 0) continue;
      }
      if (collector.inferring) {
        if (checkNumbers && missing.isMissing(cell.toString("latin1", start, end))) continue;
        const value = parseDecimal(cell, start, end);
        if (value - value === 0) collector.values!.push(value);
        else if (value === value) collector.addNonFinite();
        else if (!missing.isMissing(cell.toString("latin1", start, end))) collector.markMixed();
      } else if (collector.categorical) {
        if (missing.isMissing(cell.toString("latin1", start, end))) continue;
        collector.addCategory(csvCategoryKey(cell, start, end, collector.numbersByValue));
      }
    }
  };

  const iterator = file.chunks(plan.signal)[Symbol.asyncIterator]();
  try {
    await readAll(iterator);
  } finally {
    await iterator.return?.(); // closes the file when a record was refused
  }

  async function readAll(iterator: AsyncIterator<Buffer>): Promise<void> {
    const head = await sample(iterator);
    const firstBytes = Buffer.concat(head.head);
    delimiter = options.delimiter ?? detectDelimiter(firstBytes, head.done);
    const parser = new CsvRecordParser(onRecord, path, {
      delimiter,
      maxFields: options.maxColumns,
      maxRecordBytes: options.maxLineBytes,
    });
    let bytesRead = 0;
    let reserved = false;
    const consume = (chunk: Buffer): void => {
      parser.push(chunk);
      bytesRead += chunk.length;
      plan.onProgress?.(bytesRead, file.size);
      if (!reserved && rows >= 100) {
        // Size the numeric arrays once from the bytes per row so far (+2%): no copies on growth.
        reserved = true;
        const estimatedRows = Math.ceil(((rows * file.size) / bytesRead) * 1.02) + 16;
        for (const collector of active) {
          if (collector.inferring) collector.values!.reserve(estimatedRows);
        }
        table.reserve(estimatedRows);
      }
    };
    for (const chunk of head.head) consume(chunk);
    if (!head.done) {
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
        consume(next.value);
      }
    }
    parser.end();
  }

  if (names === null) throw new CheckInputError(`${path}: file is empty (no header row)`);
  if (rows === 0) throw new CheckInputError(`${path}: header row but no data rows`);
  const columnNames: string[] = names;
  const layout = chunker?.layout();
  const chunkCount = layout?.chunks.length ?? 0;
  const columns = new Map(
    active.map((collector) => [collector.name, collector.finish(rows, path, chunkCount)] as const),
  );
  return {
    path,
    format: "csv",
    columnNames: columnNames.filter((n) => n !== ""),
    rows,
    columns,
    warnings,
    delimiter,
    ...(layout === undefined ? {} : { chunks: layout }),
    ...(table.active ? { rowTable: table.finish(rows, path) } : {}),
  };
}
