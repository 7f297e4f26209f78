// The shared shape of reading one input file of `check`: which columns to collect and how (the
// plan), and what comes back (the columns, in file order, with their row count).
import type { CollectedColumn, CollectMode } from "./column-collector.js";

export type FileFormat = "csv" | "jsonl";

export interface ReadPlan {
  /** How to collect a column, or null to skip it. */
  modeFor(name: string): CollectMode | null;
  /** Called as bytes are consumed (for progress on big files). */
  onProgress?(bytesRead: number, totalBytes: number): void;
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
}
