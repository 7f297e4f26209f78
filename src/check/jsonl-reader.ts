// Reads a JSON Lines file (one object per line; keys are columns, null or an absent key is missing,
// "" is a category, booleans are categories) into per-column collectors, streaming line by line.
import { ColumnCollector } from "./column-collector.js";
import { CheckInputError } from "./errors.js";
import type { FileChunks } from "./file-chunks.js";
import type { FileColumns, ReadPlan } from "./read-plan.js";

function describeType(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  return value === null ? "null" : `an ${typeof value}`;
}

export async function readJsonl(
  path: string,
  file: FileChunks,
  plan: ReadPlan,
): Promise<FileColumns> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const collectors = new Map<string, ColumnCollector | null>();
  const columnNames: string[] = [];
  const warnings: string[] = [];
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
      columnNames.push(name);
      const mode = plan.modeFor(name);
      collector = mode === null ? null : new ColumnCollector(name, mode, false);
    }
    collectors.set(name, collector);
    return collector;
  };

  const handleLine = (text: string): void => {
    lineNumber++;
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
    for (const [name, value] of Object.entries(record as Record<string, unknown>)) {
      const collector = collectorFor(name);
      if (collector === null || value === null) continue;
      switch (typeof value) {
        case "number":
          if (collector.inferring) collector.values!.push(value);
          else if (collector.categorical) collector.addCategory(String(value));
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

  let carry = "";
  let bytesRead = 0;
  const decode = (chunk: Buffer | undefined): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      throw new CheckInputError(
        `${path}: line ${lineNumber + 1} or the next: text is not valid UTF-8; save the file as UTF-8`,
      );
    }
  };
  const consume = (text: string, final: boolean): void => {
    let start = 0;
    for (;;) {
      const newline = text.indexOf("\n", start);
      if (newline === -1) break;
      handleLine(text.slice(start, newline));
      start = newline + 1;
    }
    carry = text.slice(start);
    if (final && carry !== "") {
      handleLine(carry);
      carry = "";
    }
  };
  for await (const chunk of file.chunks(plan.signal)) {
    consume(carry + decode(chunk), false);
    bytesRead += chunk.length;
    plan.onProgress?.(bytesRead, file.size);
  }
  consume(carry + decode(undefined), true);

  if (rows === 0) throw new CheckInputError(`${path}: file is empty (no JSON records)`);
  const columns = new Map(
    [...collectors.values()]
      .filter((collector): collector is ColumnCollector => collector !== null)
      .map((collector) => [collector.name, collector.finish(rows, path)] as const),
  );
  return { path, format: "jsonl", columnNames, rows, columns, warnings };
}
