// Numeric column values collected while a file streams in: one Float64Array (no boxing) that the
// reader sizes from an estimate of the row count (file size / bytes per row so far), growing by
// half when the estimate falls short; handed over without a copy when it is nearly full.

// Small: a file may have hundreds of thousands of columns (the reader reserves the rest).
const INITIAL_CAPACITY = 16;
const KEEP_WITHOUT_COPY = 0.875;

export class GrowableFloat64 {
  private buffer = new Float64Array(INITIAL_CAPACITY);
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** Makes room for `capacity` values in all (a hint: pushing more still works). */
  reserve(capacity: number): void {
    if (capacity > this.buffer.length) this.resize(capacity);
  }

  push(value: number): void {
    if (this.size === this.buffer.length) this.resize(Math.ceil(this.buffer.length * 1.5));
    this.buffer[this.size++] = value;
  }

  /** The collected values, exactly `length` long; the collector is emptied. */
  toArray(): Float64Array {
    const values =
      this.size >= this.buffer.length * KEEP_WITHOUT_COPY
        ? this.buffer.subarray(0, this.size)
        : this.buffer.slice(0, this.size);
    this.buffer = new Float64Array(0);
    this.size = 0;
    return values;
  }

  /** Drops every value and the memory holding them. */
  release(): void {
    this.buffer = new Float64Array(0);
    this.size = 0;
  }

  private resize(capacity: number): void {
    const next = new Float64Array(capacity);
    next.set(this.buffer.subarray(0, this.size));
    this.buffer = next;
  }
}
