// Decodes ClickHouse RowBinary replies (engine.queryRowBinary): LEB128 lengths, UTF-8 strings
// and Float64 arrays. Millions of numbers arrive as 8 bytes each instead of ~20 characters of
// JSON to parse, which is most of the cost of pulling a reference's values.
import { endianness } from "node:os";

const LITTLE_ENDIAN = endianness() === "LE";
const decoder = new TextDecoder();

export class RowBinaryReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Whether every byte has been read. */
  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** An unsigned LEB128 number (string and array lengths). */
  varUInt(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.take(1)[0]!;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
  }

  string(): string {
    return decoder.decode(this.take(this.varUInt()));
  }

  /** An Array(Float64), copied into its own (aligned) buffer. */
  float64Array(): Float64Array {
    const length = this.varUInt();
    const start = this.offset;
    const raw = this.take(length * 8);
    // new Uint8Array(view) copies (Buffer#slice would not): an aligned buffer of its own.
    if (LITTLE_ENDIAN) return new Float64Array(new Uint8Array(raw).buffer);
    const values = new Float64Array(length);
    for (let i = 0; i < length; i++) values[i] = this.view.getFloat64(start + i * 8, true);
    return values;
  }

  private take(count: number): Uint8Array {
    const end = this.offset + count;
    if (end > this.bytes.length) {
      throw new RangeError(
        `RowBinary reply ends at byte ${this.bytes.length}, ${end - this.bytes.length} byte(s) short of a value at ${this.offset}`,
      );
    }
    const slice = this.bytes.subarray(this.offset, end);
    this.offset = end;
    return slice;
  }
}
