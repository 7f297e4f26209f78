// The shared shape of reading one input file of `check`: which columns to collect and how (the
// plan), and what comes back (the columns, in file order, with their row count).
import type { ChunkLayout, ChunkSpec } from "./chunks/row-chunker.js";
import type { CollectedColumn, CollectMode } from "./column-collector.js";
import type { ReadOptions } from "./read-options.js";
import type { RowColumnRequest, RowTable } from "./row-columns.js";

export type FileFormat = "csv" | "jsonl";

export interface ReadPlan {
  /** How to collect a column, or null to skip it. */
  modeFor(name: string): CollectMode | null;
  /** Missing values, delimiter and limits (default: RAW_READ_OPTIONS). */
  options?: ReadOptions;
  /** Cut the file into chunks (the current file, with --chunk-size or --chunk-by). */
  chunks?: ChunkSpec;
  /** Called as bytes are consumed (for progress on big files). */
  onProgress?(bytesRead: number, totalBytes: number): void;
  /** Columns kept row by row (scores, predictions, labels), besides the collected ones. */
  rowColumns?: readonly RowColumnRequest[];
  /** Stops the read early (it then fails); used when the other file has already failed. */
  signal?: AbortSignal;
}

export interface FileColumns {
  readonly path: string;
  readonly format: FileFormat;
  /** Every column the file has, in order of appearance (collected or not). */
  readonly columnNames: readonly string[];
  /** Data rows (records after the header; non-blank lines of JSONL). */
  readonly rows: number;
  /** The collected columns. */
  readonly columns: ReadonlyMap<string, CollectedColumn>;
  /** Things the user should know that do not stop the check (e.g. a column with no name). */
  readonly warnings: readonly string[];
  /** The chunks the file was cut into (when the plan asked for chunks). */
  readonly chunks?: ChunkLayout;
  /** The rowColumns of the plan, row by row (when the plan asked for any). */
  readonly rowTable?: RowTable;
  /** The CSV delimiter used. */
  readonly delimiter?: string;
}
