// How `check` reads its input files, beyond which columns: missing-value spellings, the CSV
// delimiter, and the limits that turn absurd inputs into a clear error instead of an exhausted
// machine. Plain data, so it can travel to a reader thread.
import { CheckInputError } from "./errors.js";
import { DEFAULT_NA_VALUES } from "./missing-values.js";

export interface ReadOptions {
  /** CSV cells that are missing values besides the empty cell. */
  naValues: readonly string[];
  /** The CSV delimiter, or null to detect it per file. */
  delimiter: string | null;
  /** More columns than this in a file is an error (`--max-columns`). */
  maxColumns: number;
  /** A CSV record or JSONL line longer than this many bytes is an error (`--max-line-bytes`). */
  maxLineBytes: number;
}

export const DEFAULT_MAX_COLUMNS = 500_000;
export const DEFAULT_MAX_LINE_BYTES = 256 * 1024 * 1024;

/** What `check` uses unless told otherwise (DESIGN's defaults). */
export const CHECK_READ_OPTIONS: ReadOptions = {
  naValues: DEFAULT_NA_VALUES,
  delimiter: null,
  maxColumns: DEFAULT_MAX_COLUMNS,
  maxLineBytes: DEFAULT_MAX_LINE_BYTES,
};

/**
 * What a reader does when given no options: only empty cells are missing, commas, no limits.
 * (The readers' own tests compare them with plain RFC 4180 / JSON Lines semantics.)
 */
export const RAW_READ_OPTIONS: ReadOptions = {
  naValues: [],
  delimiter: ",",
  maxColumns: Number.MAX_SAFE_INTEGER,
  maxLineBytes: Number.MAX_SAFE_INTEGER,
};

const SIZE_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** A byte count such as 1048576, 512K, 64M or 1G (binary units). */
export function parseByteSize(flag: string, value: string): number {
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(value);
  const unit = match === null ? undefined : SIZE_UNITS[match[2]!.toLowerCase()];
  const bytes = match === null || unit === undefined ? NaN : Number(match[1]) * unit;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new CheckInputError(
      `${flag}: ${JSON.stringify(value)} is not a size; give bytes, optionally with K, M or G (e.g. 64M)`,
    );
  }
  return bytes;
}

/** A positive whole number option (e.g. --max-columns, --chunk-size). */
export function parsePositiveInteger(flag: string, value: string): number {
  const number = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new CheckInputError(`${flag}: ${JSON.stringify(value)} is not a positive whole number`);
  }
  return number;
}

/** "64 MiB" for a message. */
export function describeBytes(bytes: number): string {
  if (bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
