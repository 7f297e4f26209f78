// Incremental RFC 4180 record splitter working on raw bytes: quoted fields, "" escapes, delimiters
// (comma by default) and line breaks inside quotes, CRLF / LF / lone CR line ends, a UTF-8 BOM, and chunk boundaries
// anywhere (even inside a quoted field). It reports each record as field byte ranges into a
// buffer; decoding the fields (numbers, text) is the caller's business.
import { CheckInputError } from "./errors.js";
import { describeBytes } from "./read-options.js";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export interface CsvParserOptions {
  /** The field delimiter (one ASCII character; default comma). */
  delimiter?: string;
  /** A record with more fields is an error (--max-columns). */
  maxFields?: number;
  /** A record longer than this many bytes is an error (--max-line-bytes). */
  maxRecordBytes?: number;
}

/** One record, valid only during the `onRecord` call that receives it. */
export interface CsvRecord {
  /** The bytes the field ranges point into. */
  readonly bytes: Buffer;
  readonly fieldCount: number;
  /** Field i is bytes[starts[i], ends[i]) — without the surrounding quotes of a quoted field. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** 1 when field i must be unescaped ("" inside quotes, or text after the closing quote). */
  readonly escaped: Uint8Array;
  /** 1-based physical line on which the record starts. */
  readonly line: number;
}

export type CsvRecordHandler = (record: CsvRecord) => void;

/** The text of field `index` of a record, quotes and "" escapes resolved, as Latin-1 (byte) text. */
export function fieldBytes(record: CsvRecord, index: number): Buffer {
  const { bytes } = record;
  const start = record.starts[index];
  const end = record.ends[index];
  if (record.escaped[index] === 0) return bytes.subarray(start, end);
  // Escaped fields are stored as the raw text from the opening quote to the field end: inside
  // the quotes "" is one quote; after the closing quote every byte is literal, quotes included
  // (as Python's csv module reads `"ab"c"d`: abc"d).
  const out = Buffer.allocUnsafe(end - start);
  let length = 0;
  let position = start + 1;
  for (; position < end; position++) {
    const byte = bytes[position]!;
    if (byte !== QUOTE) {
      out[length++] = byte;
    } else if (position + 1 < end && bytes[position + 1] === QUOTE) {
      out[length++] = QUOTE;
      position++;
    } else {
      position++;
      break;
    }
  }
  for (; position < end; position++) out[length++] = bytes[position]!;
  return out.subarray(0, length);
}

export class CsvRecordParser {
  private pending: Buffer = Buffer.alloc(0);
  private pendingLength = 0;
  /** Bytes that must arrive before the pending record is scanned again (amortises huge records). */
  private rescanAt = 0;
  private line = 1;
  private atFileStart = true;
  private skipLeadingLineFeed = false;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private escaped = new Uint8Array(64);
  private readonly delimiter: number;
  /** 1 for the bytes that end an unquoted field: the delimiter, LF, CR. */
  private readonly fieldEnd = new Uint8Array(256);
  private readonly maxFields: number;
  private readonly maxRecordBytes: number;

  constructor(
    private readonly onRecord: CsvRecordHandler,
    private readonly source: string,
    options: CsvParserOptions = {},
  ) {
    this.delimiter = (options.delimiter ?? ",").charCodeAt(0);
    this.fieldEnd[this.delimiter] = 1;
    this.fieldEnd[LF] = 1;
    this.fieldEnd[CR] = 1;
    this.maxFields = options.maxFields ?? Number.MAX_SAFE_INTEGER;
    this.maxRecordBytes = options.maxRecordBytes ?? Number.MAX_SAFE_INTEGER;
  }

  /** Feed the next chunk of the file. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.atFileStart) {
      chunk = this.stripBom(chunk);
      if (chunk.length === 0) return;
    }
    if (this.skipLeadingLineFeed) {
      this.skipLeadingLineFeed = false;
      if (chunk[0] === LF) chunk = chunk.subarray(1);
      if (chunk.length === 0) return;
    }
    if (this.pendingLength === 0) {
      const consumed = this.scan(chunk, chunk.length, false);
      if (consumed < chunk.length) this.keepPending(chunk.subarray(consumed));
      if (this.pendingLength > this.maxRecordBytes) this.tooLong(this.line);
      return;
    }
    this.appendPending(chunk);
    if (this.pendingLength > this.maxRecordBytes) {
      // Scan what is there first: complete records before the long one are fine.
      this.dropPending(this.scan(this.pending, this.pendingLength, false));
      if (this.pendingLength > this.maxRecordBytes) this.tooLong(this.line);
      return;
    }
    if (this.pendingLength < this.rescanAt) return;
    const consumed = this.scan(this.pending, this.pendingLength, false);
    this.dropPending(consumed);
  }

  /** The file has ended: the last record needs no line break. */
  end(): void {
    if (this.atFileStart) {
      // Fewer than three bytes in the whole file.
      this.atFileStart = false;
      let bytes = Buffer.from(this.pending.subarray(0, this.pendingLength));
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      this.keepPending(bytes);
    }
    if (this.pendingLength === 0) return;
    const consumed = this.scan(this.pending, this.pendingLength, true);
    this.dropPending(consumed);
  }

  private tooLong(line: number): never {
    throw new CheckInputError(
      `${this.source}: line ${line}: a record longer than ${describeBytes(this.maxRecordBytes)} ` +
        `(--max-line-bytes); is the delimiter or the quoting right? Raise --max-line-bytes if ` +
        `the file really has such long lines`,
    );
  }

  private tooManyFields(line: number): never {
    throw new CheckInputError(
      `${this.source}: line ${line}: more than ${this.maxFields} columns (--max-columns); ` +
        `raise --max-columns if the file really is that wide`,
    );
  }

  private stripBom(chunk: Buffer): Buffer {
    // Wait for three bytes before deciding (a BOM can straddle chunks only in theory, but cheaply).
    if (chunk.length < 3 && this.pendingLength + chunk.length < 3) {
      this.appendPending(chunk);
      return Buffer.alloc(0);
    }
    if (this.pendingLength > 0) {
      this.appendPending(chunk);
      chunk = Buffer.from(this.pending.subarray(0, this.pendingLength));
      this.pendingLength = 0;
    }
    this.atFileStart = false;
    if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return chunk.subarray(3);
    return chunk;
  }

  private keepPending(rest: Buffer): void {
    this.pendingLength = 0;
    this.appendPending(rest);
    this.rescanAt = 0;
  }

  private appendPending(chunk: Buffer): void {
    const needed = this.pendingLength + chunk.length;
    if (needed > this.pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.pending.length * 2, 1024));
      this.pending.copy(grown, 0, 0, this.pendingLength);
      this.pending = grown;
    }
    chunk.copy(this.pending, this.pendingLength);
    this.pendingLength = needed;
  }

  private dropPending(consumed: number): void {
    if (consumed === 0) {
      // One record longer than everything buffered: scan again only once the buffer has doubled.
      this.rescanAt = this.pendingLength * 2;
      return;
    }
    this.pending.copy(this.pending, 0, consumed, this.pendingLength);
    this.pendingLength -= consumed;
    this.rescanAt = 0;
  }

  /**
   * Emit every complete record in bytes[0, length); return how many bytes were consumed. With
   * `final`, the end of the bytes ends the last record.
   */
  private scan(bytes: Buffer, length: number, final: boolean): number {
    let recordStart = 0;
    let position = 0;
    let starts = this.starts;
    let ends = this.ends;
    let escapes = this.escaped;
    const endsField = this.fieldEnd;
    const delimiter = this.delimiter;
    const record = { bytes, fieldCount: 0, starts, ends, escaped: escapes, line: 0 };
    while (position < length) {
      const recordLine = this.line;
      let linesInRecord = 0;
      let fieldCount = 0;
      // A blank line is no record (pandas and Python's csv skip them too).
      const first = bytes[position];
      if (first === LF || first === CR) {
        position = this.afterLineEnd(bytes, position, length, final);
        this.line++;
        recordStart = position;
        continue;
      }
      for (;;) {
        if (fieldCount === starts.length) {
          if (fieldCount >= this.maxFields) this.tooManyFields(recordLine);
          this.growFields();
          starts = record.starts = this.starts;
          ends = record.ends = this.ends;
          escapes = record.escaped = this.escaped;
        }
        let fieldStart = position;
        let fieldEnd: number;
        let escaped = 0;
        if (position < length && bytes[position] === QUOTE) {
          // Quoted field: find the closing quote that is not part of a "" pair.
          let cursor = position + 1;
          let closed = -1;
          while (cursor < length) {
            const byte = bytes[cursor];
            if (byte === QUOTE) {
              if (cursor + 1 < length && bytes[cursor + 1] === QUOTE) {
                escaped = 1;
                cursor += 2;
                continue;
              }
              if (cursor + 1 === length && !final) break; // a "" pair may straddle the chunk end
              closed = cursor;
              break;
            }
            if (byte === LF) linesInRecord++;
            else if (byte === CR && !(cursor + 1 < length && bytes[cursor + 1] === LF))
              linesInRecord++;
            cursor++;
          }
          if (closed < 0) {
            if (final) {
              throw new CheckInputError(
                `${this.source}: line ${recordLine}: quoted field is never closed (missing ")`,
              );
            }
            return recordStart;
          }
          position = closed + 1;
          // Text after the closing quote (not RFC 4180) is kept, as Python's csv module does.
          while (position < length) {
            const byte = bytes[position];
            if (byte === delimiter || byte === LF || byte === CR) break;
            escaped = 1;
            position++;
          }
          if (escaped === 1) {
            fieldEnd = position;
          } else {
            fieldStart += 1;
            fieldEnd = closed;
          }
        } else {
          while (position < length && endsField[bytes[position]] === 0) position++;
          fieldEnd = position;
        }
        starts[fieldCount] = fieldStart;
        ends[fieldCount] = fieldEnd;
        escapes[fieldCount] = escaped;
        fieldCount++;
        if (position >= length) {
          if (!final) return recordStart;
          break;
        }
        if (bytes[position] === delimiter) {
          position++;
          continue;
        }
        position = this.afterLineEnd(bytes, position, length, final);
        linesInRecord++;
        break;
      }
      if (fieldCount > this.maxFields) this.tooManyFields(recordLine);
      if (position - recordStart > this.maxRecordBytes) this.tooLong(recordLine);
      record.fieldCount = fieldCount;
      record.line = recordLine;
      this.onRecord(record);
      this.line += linesInRecord;
      recordStart = position;
    }
    return recordStart;
  }

  /** Position after the line end at `position` (CRLF, LF or CR). */
  private afterLineEnd(bytes: Buffer, position: number, length: number, final: boolean): number {
    if (bytes[position] === CR) {
      if (position + 1 < length) return bytes[position + 1] === LF ? position + 2 : position + 1;
      if (final) return position + 1;
      // CR is the last byte we have: end the record now and drop an LF that starts the next chunk.
      this.skipLeadingLineFeed = true;
      return position + 1;
    }
    return position + 1;
  }

  private growFields(): void {
    const capacity = this.starts.length * 2;
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    const escaped = new Uint8Array(capacity);
    starts.set(this.starts);
    ends.set(this.ends);
    escaped.set(this.escaped);
    this.starts = starts;
    this.ends = ends;
    this.escaped = escaped;
  }
}
