// Cutting the current file of `check` into chunks while it streams: by row count (`--chunk-size`)
// or by the UTC period of a time column (`--chunk-by` + `--chunk-period`). Gives each data row its
// chunk's id (ids in order of first appearance) and keeps, per chunk, its rows and row range.
import { CheckInputError } from "../errors.js";
import { type ChunkPeriod, periodIndex, periodStart } from "./period.js";
import { epochMilliseconds, parseRfc3339 } from "./timestamp.js";

export type ChunkSpec =
  { kind: "size"; size: number } | { kind: "period"; column: string; period: ChunkPeriod };

/** One chunk as read: its rows, its row range and (by period) its time range. */
export interface ChunkInfo {
  readonly id: number;
  rows: number;
  /** 0-based index of its first data row (inclusive). */
  fromRow: number;
  /** 0-based index after its last data row (exclusive). */
  toRow: number;
  /** Its period's start and end (epoch ms, end exclusive); null for --chunk-size. */
  readonly start: number | null;
  readonly end: number | null;
}

export interface ChunkLayout {
  /** Indexed by chunk id. */
  readonly chunks: readonly ChunkInfo[];
  /** Rows whose --chunk-by value is missing: in the whole-file comparison, in no chunk. */
  readonly rowsWithoutTime: number;
}

/** A row that belongs to no chunk (its --chunk-by value is missing). */
export const NO_CHUNK = -1;

export class RowChunker {
  private readonly chunks: ChunkInfo[] = [];
  private readonly idByPeriod = new Map<number, number>();
  private rowsWithoutTime = 0;

  constructor(
    readonly spec: ChunkSpec,
    private readonly source: string,
  ) {}

  /** The chunk of data row `row` (0-based) under --chunk-size. */
  chunkOfRow(row: number): number {
    const size = (this.spec as { size: number }).size;
    const id = Math.floor(row / size);
    if (id === this.chunks.length) {
      this.chunks.push({ id, rows: 0, fromRow: row, toRow: row, start: null, end: null });
    }
    this.count(this.chunks[id]!, row);
    return id;
  }

  /**
   * The chunk of data row `row` under --chunk-by, from its time value: a number (epoch ms), text
   * (RFC 3339, or a number written as text), or null when missing.
   */
  chunkOfTime(row: number, value: number | string | null, line: number): number {
    if (value === null) {
      this.rowsWithoutTime++;
      return NO_CHUNK;
    }
    const time = this.timeOf(value);
    if (time === null) {
      const spec = this.spec as { column: string };
      throw new CheckInputError(
        `${this.source}: line ${line}: --chunk-by column ${JSON.stringify(spec.column)}: ` +
          `${JSON.stringify(String(value).slice(0, 80))} is not a time; use RFC 3339 ` +
          `(2026-11-23T08:00:00Z) or epoch milliseconds`,
      );
    }
    const { period } = this.spec as { period: ChunkPeriod };
    const index = periodIndex(period, time);
    let id = this.idByPeriod.get(index);
    if (id === undefined) {
      id = this.chunks.length;
      this.idByPeriod.set(index, id);
      const start = periodStart(period, index);
      this.chunks.push({
        id,
        rows: 0,
        fromRow: row,
        toRow: row,
        start,
        end: start + period.milliseconds,
      });
    }
    this.count(this.chunks[id]!, row);
    return id;
  }

  layout(): ChunkLayout {
    return { chunks: this.chunks, rowsWithoutTime: this.rowsWithoutTime };
  }

  private count(chunk: ChunkInfo, row: number): void {
    chunk.rows++;
    if (row < chunk.fromRow) chunk.fromRow = row;
    if (row + 1 > chunk.toRow) chunk.toRow = row + 1;
  }

  private timeOf(value: number | string): number | null {
    if (typeof value === "number") return epochMilliseconds(value);
    const text = value.trim();
    if (/^[+-]?\d+(\.\d*)?$/.test(text)) return epochMilliseconds(Number(text));
    return parseRfc3339(text);
  }
}
