// A Float64Array that grows by doubling: how numeric column values are collected while a file
// streams in, without boxing each number in a JS array.

export class GrowableFloat64 {
  private buffer: Float64Array;
  private size = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Float64Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.size;
  }

  push(value: number): void {
    if (this.size === this.buffer.length) this.grow();
    this.buffer[this.size++] = value;
  }

  /** The collected values in an array of exactly the right length (copied once, then released). */
  toArray(): Float64Array {
    const result = this.buffer.length === this.size ? this.buffer : this.buffer.slice(0, this.size);
    this.buffer = new Float64Array(1);
    this.size = 0;
    return result;
  }

  private grow(): void {
    const next = new Float64Array(this.buffer.length * 2);
    next.set(this.buffer);
    this.buffer = next;
  }
}
