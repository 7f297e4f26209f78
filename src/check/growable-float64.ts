// Numeric column values collected while a file streams in: fixed-size Float64Array blocks (no
// boxing, no copy on growth), joined into one exactly-sized array once the file has ended.

const BLOCK_SIZE = 1 << 16;

export class GrowableFloat64 {
  private readonly full: Float64Array[] = [];
  private block: Float64Array;
  private used = 0;

  constructor(firstBlockSize = 1024) {
    this.block = new Float64Array(Math.max(1, Math.min(firstBlockSize, BLOCK_SIZE)));
  }

  get length(): number {
    return this.full.reduce((sum, block) => sum + block.length, 0) + this.used;
  }

  push(value: number): void {
    if (this.used === this.block.length) {
      this.full.push(this.block);
      this.block = new Float64Array(BLOCK_SIZE);
      this.used = 0;
    }
    this.block[this.used++] = value;
  }

  /** The collected values in one array of exactly the right length; the collector is emptied. */
  toArray(): Float64Array {
    const result = new Float64Array(this.length);
    let offset = 0;
    for (const block of this.full) {
      result.set(block, offset);
      offset += block.length;
    }
    result.set(this.block.subarray(0, this.used), offset);
    this.full.length = 0;
    this.block = new Float64Array(1);
    this.used = 0;
    return result;
  }
}
