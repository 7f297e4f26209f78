// Reads a JSON Lines file (one object per line; keys are columns, null or an absent key is missing,
// "" is a category, booleans are the categories "true" and "false", numbers count by value) into
// per-column collectors, streaming line by line; the rows may be cut into chunks on the way.
import { NO_CHUNK, RowChunker } from "./chunks/row-chunker.js";
import { numberCategory } from "./category-key.js";
import { ColumnCollector } from "./column-collector.js";
import { CheckInputError } from "./errors.js";
import type { FileChunks } from "./file-chunks.js";
import { JsonlLineSplitter } from "./jsonl-lines.js";
import { RAW_READ_OPTIONS } from "./read-options.js";
import type { FileColumns, ReadPlan } from "./read-plan.js";
import { RowTableCollector } from "./row-columns.js";

function describeType(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  return value === null ? "null" : `an ${typeof value}`;
}

export async function readJsonl(
  path: string,
  file: FileChunks,
  plan: ReadPlan,
): Promise<FileColumns> {
  const options = plan.options ?? RAW_READ_OPTIONS;
  // Lines are decoded one by one: only the file's own BOM (at the start of line 1) is dropped.
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const collectors = new Map<string, ColumnCollector | null>();
  const active: ColumnCollector[] = [];
  const columnNames: string[] = [];
  const warnings: string[] = [];
  const chunker = plan.chunks === undefined ? null : new RowChunker(plan.chunks, path);
  const chunkColumn = plan.chunks?.kind === "period" ? plan.chunks.column : null;
  const table = new RowTableCollector(plan.rowColumns ?? [], false, chunker !== null);
  const rowNames = (plan.rowColumns ?? []).map((request) => request.name);
  let currentChunk = NO_CHUNK;
  let rows = 0;
  let lineNumber = 0;

  const collectorFor = (name: string): ColumnCollector | null => {
    let collector = collectors.get(name);
    if (collector !== undefined) return collector;
    if (name === "") {
      warnings.push(
        `${path}: line ${lineNumber}: a key is the empty string: that column is skipped`,
      );
      collector = null;
    } else {
      if (columnNames.length >= options.maxColumns) {
        throw new CheckInputError(
          `${path}: line ${lineNumber}: more than ${options.maxColumns} columns (--max-columns); ` +
            `raise --max-columns if the file really is that wide`,
        );
      }
      columnNames.push(name);
      const mode = plan.modeFor(name);
      collector = mode === null ? null : new ColumnCollector(name, mode, false, chunker !== null);
      if (collector !== null) {
        collector.enterChunk(currentChunk);
        active.push(collector);
      }
    }
    collectors.set(name, collector);
    return collector;
  };

  const enterChunk = (record: Record<string, unknown>): void => {
    const row = rows - 1;
    let id: number;
    if (chunkColumn === null) {
      id = chunker!.chunkOfRow(row);
    } else {
      const value = Object.hasOwn(record, chunkColumn) ? record[chunkColumn] : null;
      if (value !== null && typeof value !== "number" && typeof value !== "string") {
        throw new CheckInputError(
          `${path}: line ${lineNumber}: --chunk-by column ${JSON.stringify(chunkColumn)}: value is ` +
            `${describeType(value)}; expected RFC 3339 text or epoch milliseconds`,
        );
      }
      id = chunker!.chunkOfTime(row, value, lineNumber);
    }
    if (id === currentChunk) return;
    currentChunk = id;
    for (const collector of active) collector.enterChunk(id);
  };

  /** The cells of the columns kept row by row (see row-columns.ts); absent or null: missing. */
  const rowCells = (record: Record<string, unknown>): void => {
    table.row(currentChunk);
    for (const name of rowNames) {
      if (!Object.hasOwn(record, name)) continue; // backfilled as missing
      const collector = table.collectorFor(name)!;
      table.backfill(collector, rows - 1);
      const value = record[name];
      if (value === null) {
        collector.missing();
      } else if (collector.request.kind === "number") {
        if (typeof value === "number") collector.number(value);
        else collector.notANumber(path, lineNumber, JSON.stringify(value) ?? String(value));
      } else if (typeof value === "number") {
        collector.label(numberCategory(value));
      } else if (typeof value === "string" || typeof value === "boolean") {
        collector.label(String(value));
      } else {
        throw new CheckInputError(
          `${path}: line ${lineNumber}: ${collector.request.flag} column ${JSON.stringify(name)}: ` +
            `value is ${describeType(value)}; expected a label (a number, string or boolean)`,
        );
      }
    }
  };

  const handleLine = (bytes: Buffer, line: number): void => {
    lineNumber = line;
    let text: string;
    if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      bytes = bytes.subarray(3);
    }
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new CheckInputError(
        `${path}: line ${lineNumber}: text is not valid UTF-8; save the file as UTF-8`,
      );
    }
    if (text.trim() === "") return;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CheckInputError(`${path}: line ${lineNumber}: not valid JSON (${reason})`);
    }
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      throw new CheckInputError(
        `${path}: line ${lineNumber}: expected a JSON object per line, found ${describeType(record)}`,
      );
    }
    rows++;
    if (chunker !== null) enterChunk(record as Record<string, unknown>);
    if (rowNames.length > 0) rowCells(record as Record<string, unknown>);
    for (const [name, value] of Object.entries(record as Record<string, unknown>)) {
      const collector = collectorFor(name);
      if (collector === null || value === null) continue;
      switch (typeof value) {
        case "number":
          if (collector.inferring) {
            if (value - value === 0) collector.values!.push(value);
            else collector.addNonFinite(); // 1e400: JSON.parse gives Infinity
          } else if (collector.categorical) {
            collector.addCategory(numberCategory(value));
          }
          break;
        case "string":
        case "boolean":
          if (collector.inferring) collector.markMixed();
          else if (collector.categorical) collector.addCategory(String(value));
          break;
        default:
          throw new CheckInputError(
            `${path}: line ${lineNumber}: column ${JSON.stringify(name)}: value is ${describeType(value)}; ` +
              `expected a number, string, boolean or null`,
          );
      }
    }
  };

  const lines = new JsonlLineSplitter(handleLine, path, options.maxLineBytes);
  let bytesRead = 0;
  for await (const chunk of file.chunks(plan.signal)) {
    lines.push(chunk);
    bytesRead += chunk.length;
    plan.onProgress?.(bytesRead, file.size);
  }
  lines.end();

  if (rows === 0) throw new CheckInputError(`${path}: file is empty (no JSON records)`);
  if (chunkColumn !== null && !collectors.has(chunkColumn)) {
    throw new CheckInputError(
      `${path}: --chunk-by: no record has a key ${JSON.stringify(chunkColumn)}`,
    );
  }
  const layout = chunker?.layout();
  const chunkCount = layout?.chunks.length ?? 0;
  const columns = new Map(
    active.map((collector) => [collector.name, collector.finish(rows, path, chunkCount)] as const),
  );
  return {
    path,
    format: "jsonl",
    columnNames,
    rows,
    columns,
    warnings,
    ...(layout === undefined ? {} : { chunks: layout }),
    ...(table.active ? { rowTable: table.finish(rows, path) } : {}),
  };
}
