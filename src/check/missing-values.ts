// Which CSV cells are missing values (`--na-values`): an empty cell always; by default also NA,
// N/A, NaN, nan, null, NULL, None and #N/A (DESIGN), compared after dropping surrounding spaces and
// tabs, quoted or not, before a column's kind is inferred. JSONL has null for missing instead.
import { parseDecimal } from "./parse-number.js";

/** DESIGN's default `--na-values` (the empty string is always missing). */
export const DEFAULT_NA_VALUES: readonly string[] = [
  "",
  "NA",
  "N/A",
  "NaN",
  "nan",
  "null",
  "NULL",
  "None",
  "#N/A",
];

const SPACE = 0x20;
const TAB = 0x09;

function trimSpacesAndTabs(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text.charCodeAt(start) === SPACE || text.charCodeAt(start) === TAB)) {
    start++;
  }
  while (end > start && (text.charCodeAt(end - 1) === SPACE || text.charCodeAt(end - 1) === TAB)) {
    end--;
  }
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

export class MissingValues {
  /** The values as CSV cells arrive: UTF-8 bytes read as Latin-1 text, trimmed. */
  private readonly keys: Set<string>;
  /** Some value reads as a number (e.g. -999): numeric cells must be looked up too. */
  readonly matchesNumbers: boolean;
  private readonly blankIsMissing: boolean;

  constructor(readonly values: readonly string[]) {
    this.keys = new Set(
      values.map((value) => trimSpacesAndTabs(Buffer.from(value, "utf8").toString("latin1"))),
    );
    this.blankIsMissing = this.keys.has("");
    this.keys.delete("");
    this.matchesNumbers = [...this.keys].some((key) => {
      const bytes = Buffer.from(key, "latin1");
      return !Number.isNaN(parseDecimal(bytes, 0, bytes.length));
    });
  }

  /** Whether a non-empty cell, given as its bytes in Latin-1 text, is a missing value. */
  isMissing(latin1Cell: string): boolean {
    if (this.keys.has(latin1Cell)) return true;
    const trimmed = trimSpacesAndTabs(latin1Cell);
    if (trimmed === latin1Cell) return false;
    return trimmed === "" ? this.blankIsMissing : this.keys.has(trimmed);
  }
}

/** Only empty cells are missing (the readers' default when no list is given). */
export const ONLY_EMPTY_CELLS = new MissingValues([]);
