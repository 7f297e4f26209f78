// The CSV field delimiter: given (`--delimiter`) or detected from the start of the file among
// comma, semicolon, tab and pipe — the candidate that splits the header into the most fields while
// every complete record of the sample has that many fields (quotes respected); comma otherwise.
import { CheckInputError } from "./errors.js";

export const DELIMITER_CANDIDATES: readonly string[] = [",", ";", "\t", "|"];
/** Bytes of the file looked at to detect the delimiter. */
export const DETECTION_SAMPLE_BYTES = 64 * 1024;
const MAX_SAMPLE_RECORDS = 200;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const NAMED: Readonly<Record<string, string>> = {
  comma: ",",
  semicolon: ";",
  tab: "\t",
  "\\t": "\t",
  pipe: "|",
};

/** The delimiter a `--delimiter` value names: one character (or tab, comma, semicolon, pipe). */
export function parseDelimiter(value: string): string {
  const named = NAMED[value.toLowerCase()];
  if (named !== undefined) return named;
  if (value.length !== 1 || value.charCodeAt(0) > 0x7f || /["\r\n]/.test(value)) {
    throw new CheckInputError(
      `--delimiter: ${JSON.stringify(value)} is not a delimiter; give one ASCII character other ` +
        `than a quote or a line break, or tab (e.g. --delimiter ';', --delimiter tab)`,
    );
  }
  return value;
}

/** How a human reads a delimiter in a message. */
export function describeDelimiter(delimiter: string): string {
  return delimiter === "\t" ? "tab" : JSON.stringify(delimiter);
}

interface Split {
  /** Fields of the first record (complete or not). */
  headerFields: number;
  /** Every later complete record has headerFields fields. */
  consistent: boolean;
}

/** Field counts of the sample's records when split at `delimiter` (RFC 4180 quoting). */
function split(sample: Buffer, delimiter: number, final: boolean): Split {
  let headerFields = -1;
  let consistent = true;
  let fields = 1;
  let records = 0;
  let inQuotes = false;
  let atFieldStart = true;
  let recordHasBytes = false;
  const endRecord = (): void => {
    if (!recordHasBytes) return; // blank lines are no records
    if (headerFields < 0) headerFields = fields;
    else if (fields !== headerFields) consistent = false;
    records++;
    fields = 1;
    recordHasBytes = false;
    atFieldStart = true;
  };
  for (let index = 0; index < sample.length && records < MAX_SAMPLE_RECORDS; index++) {
    const byte = sample[index];
    if (inQuotes) {
      if (byte === QUOTE) {
        if (sample[index + 1] === QUOTE) index++;
        else inQuotes = false;
      }
      continue;
    }
    if (byte === LF || byte === CR) {
      endRecord();
      continue;
    }
    recordHasBytes = true;
    if (byte === delimiter) {
      fields++;
      atFieldStart = true;
      continue;
    }
    if (byte === QUOTE && atFieldStart) inQuotes = true;
    atFieldStart = false;
  }
  if (headerFields < 0)
    headerFields = fields; // the header is longer than the sample
  else if (final && recordHasBytes && !inQuotes && fields !== headerFields) consistent = false;
  return { headerFields, consistent };
}

/**
 * The delimiter of a CSV file starting with `sample` (`final`: the sample is the whole file).
 * A file whose header has one field under every candidate is read with commas.
 */
export function detectDelimiter(sample: Buffer, final: boolean): string {
  let start = 0;
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) start = 3;
  const body = sample.subarray(start);
  let best = ",";
  let bestFields = 1;
  let bestConsistent = false;
  for (const candidate of DELIMITER_CANDIDATES) {
    const { headerFields, consistent } = split(body, candidate.charCodeAt(0), final);
    if (headerFields < 2) continue;
    const better =
      (consistent && !bestConsistent) ||
      (consistent === bestConsistent && headerFields > bestFields);
    if (better) {
      best = candidate;
      bestFields = headerFields;
      bestConsistent = consistent;
    }
  }
  return best;
}
