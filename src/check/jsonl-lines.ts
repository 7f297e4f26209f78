// Splitting a JSON Lines byte stream into lines, in time linear in the file's size however long a
// line is: each byte is looked at once (a line spread over many chunks is joined once, when its
// end arrives), and a line longer than the limit is refused as soon as the limit is passed.
// LF (0x0A) never occurs inside a multi-byte UTF-8 character, so lines are cut before decoding.
import { CheckInputError } from "./errors.js";
import { describeBytes } from "./read-options.js";

const LF = 0x0a;

export class JsonlLineSplitter {
  private pieces: Buffer[] = [];
  private pendingBytes = 0;
  /** 1-based number of the line being assembled. */
  private line = 1;
  /** Bytes examined for line ends so far (each byte once: the linear-time promise, tested). */
  bytesScanned = 0;

  constructor(
    private readonly onLine: (bytes: Buffer, line: number) => void,
    private readonly source: string,
    private readonly maxLineBytes: number = Number.MAX_SAFE_INTEGER,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(LF, start);
      this.bytesScanned += (newline === -1 ? chunk.length : newline + 1) - start;
      if (newline === -1) break;
      const length = this.pendingBytes + newline - start;
      if (length > this.maxLineBytes) this.tooLong();
      const part = chunk.subarray(start, newline);
      const bytes = this.pieces.length === 0 ? part : Buffer.concat([...this.pieces, part], length);
      this.pieces = [];
      this.pendingBytes = 0;
      this.onLine(bytes, this.line++);
      start = newline + 1;
    }
    if (start < chunk.length) {
      this.pieces.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) this.tooLong();
    }
  }

  /** The file has ended: the last line needs no line break. */
  end(): void {
    if (this.pieces.length === 0) return;
    const bytes = Buffer.concat(this.pieces, this.pendingBytes);
    this.pieces = [];
    this.pendingBytes = 0;
    this.onLine(bytes, this.line++);
  }

  private tooLong(): never {
    throw new CheckInputError(
      `${this.source}: line ${this.line}: a line longer than ${describeBytes(this.maxLineBytes)} ` +
        `(--max-line-bytes); raise --max-line-bytes if the file really has such long lines`,
    );
  }
}
