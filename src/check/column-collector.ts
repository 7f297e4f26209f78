// What `check` keeps of one column while a file streams past: numeric values in a growable
// Float64Array, or counts per category — never the raw rows. Kind inference happens here: a column
// collected as "infer" stays numeric while every non-missing value is a number. When the file is
// cut into chunks, the same values are kept once and each chunk gets a view of its part.
import { CheckInputError } from "./errors.js";
import { GrowableFloat64 } from "./growable-float64.js";

/**
 * How a column is collected: infer its kind, or count its values as categories — as written
 * ("categorical"), or with numbers counted by value ("forced-categorical", for --categorical).
 */
export type CollectMode = "infer" | "categorical" | "forced-categorical";

/**
 * What a file says about a column: numeric (every non-missing value a number), categorical
 * (collected as categories), mixed (inferred, but some value is not a number: it must be read
 * again as categorical), or empty (every value missing).
 */
export type CollectedKind = "numeric" | "categorical" | "mixed" | "empty";

/** One chunk's part of a column (see ChunkLayout for the chunk's rows). */
export interface ChunkColumn {
  /** Its finite numeric values: a view into the column's values (no copy). */
  readonly values: Float64Array;
  readonly counts: Map<string, number>;
  /** Non-missing values, the non-finite ones included. */
  readonly nonMissing: number;
  readonly nonFinite: number;
}

export interface CollectedColumn {
  readonly name: string;
  readonly kind: CollectedKind;
  /** Finite non-missing values of a numeric column (empty otherwise). */
  readonly values: Float64Array;
  /** Counts per category of a categorical column (empty otherwise). */
  readonly counts: Map<string, number>;
  /** Non-missing and missing rows (a mixed column counts nothing: it is read again). */
  readonly nonMissing: number;
  readonly missing: number;
  /** Numbers that are not finite (1e400, inf): counted in nonMissing, not in values. */
  readonly nonFinite: number;
  /** Per chunk id, when the file was cut into chunks. */
  readonly chunks?: readonly ChunkColumn[];
}

// Cells are decoded one by one: a U+FEFF at the start of a cell is data, kept (the file's BOM is
// dropped by the record parser).
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

const NO_CHUNK = -1;

export class ColumnCollector {
  /** Still collecting numbers (mode "infer" and no non-number seen yet). */
  inferring: boolean;
  /** Collecting categories. */
  readonly categorical: boolean;
  /** Categories: numbers count by value (19.0 is 19). */
  readonly numbersByValue: boolean;
  readonly values: GrowableFloat64 | null;
  /** The counts being added to (the current chunk's when chunked). */
  counts = new Map<string, number>();
  /** Counts of rows in no chunk (all rows when not chunked). */
  private readonly noChunkCounts = this.counts;
  nonFinite = 0;
  private mixed = false;
  /** Chunked: [chunk id, index of its first value] per run of rows of one chunk. */
  private readonly runs: number[] | null;
  private readonly chunkCounts: Map<string, number>[] | null;
  private readonly chunkNonFinite: number[] | null;
  private chunk = NO_CHUNK;

  /**
   * @param latin1Keys category keys are raw bytes as Latin-1 text (CSV), checked and decoded as
   *   UTF-8 once per distinct category when the file ends.
   * @param chunked the file is cut into chunks: enterChunk() is called before each run of rows.
   */
  constructor(
    readonly name: string,
    mode: CollectMode,
    private readonly latin1Keys: boolean,
    chunked = false,
  ) {
    this.inferring = mode === "infer";
    this.categorical = mode !== "infer";
    this.numbersByValue = mode === "forced-categorical";
    this.values = this.inferring ? new GrowableFloat64() : null;
    this.runs = chunked ? [NO_CHUNK, 0] : null; // rows before the first enterChunk(): none
    this.chunkCounts = chunked ? [] : null;
    this.chunkNonFinite = chunked ? [] : null;
  }

  /** The rows that follow belong to chunk `id` (NO_CHUNK: to none). */
  enterChunk(id: number): void {
    if (this.runs === null || id === this.chunk) return;
    this.chunk = id;
    if (this.inferring) this.runs.push(id, this.values!.length);
    if (this.categorical && id !== NO_CHUNK) {
      const chunkCounts = this.chunkCounts!;
      while (chunkCounts.length <= id) chunkCounts.push(new Map());
      this.counts = chunkCounts[id]!;
    } else if (this.categorical) {
      this.counts = this.noChunkCounts;
    }
  }

  /** A number that is not finite (±Infinity) in a numeric column. */
  addNonFinite(): void {
    this.nonFinite++;
    if (this.chunkNonFinite !== null && this.chunk !== NO_CHUNK) {
      this.chunkNonFinite[this.chunk] = (this.chunkNonFinite[this.chunk] ?? 0) + 1;
    }
  }

  /** A value that is not a number arrived while inferring: the column must be re-read. */
  markMixed(): void {
    this.inferring = false;
    this.mixed = true;
    this.values?.release();
  }

  addCategory(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** @param chunkCount the number of chunks of the file (when chunked). */
  finish(rows: number, source: string, chunkCount = 0): CollectedColumn {
    if (this.mixed) {
      return this.result("mixed", new Float64Array(0), new Map(), 0, rows);
    }
    if (this.categorical) return this.finishCategorical(rows, source, chunkCount);
    const collected = this.values === null ? new Float64Array(0) : this.values.toArray();
    const { values, chunks } =
      this.runs === null
        ? { values: collected, chunks: undefined }
        : this.numericChunks(collected, chunkCount);
    const nonMissing = values.length + this.nonFinite;
    const kind = nonMissing === 0 ? "empty" : "numeric";
    return { ...this.result(kind, values, new Map(), nonMissing, rows), chunks };
  }

  private finishCategorical(rows: number, source: string, chunkCount: number): CollectedColumn {
    const decode = (counts: Map<string, number>): Map<string, number> =>
      this.latin1Keys ? this.decodeKeys(counts, source) : counts;
    let counts: Map<string, number>;
    let chunks: ChunkColumn[] | undefined;
    if (this.chunkCounts === null) {
      counts = decode(this.counts);
    } else {
      chunks = [];
      counts = new Map(decode(this.noChunkCounts));
      for (let id = 0; id < chunkCount; id++) {
        const chunkCounts = decode(this.chunkCounts[id] ?? new Map<string, number>());
        let nonMissing = 0;
        for (const [key, count] of chunkCounts) {
          nonMissing += count;
          counts.set(key, (counts.get(key) ?? 0) + count);
        }
        chunks.push({ values: new Float64Array(0), counts: chunkCounts, nonMissing, nonFinite: 0 });
      }
    }
    let nonMissing = 0;
    for (const count of counts.values()) nonMissing += count;
    const kind = nonMissing === 0 ? "empty" : "categorical";
    return { ...this.result(kind, new Float64Array(0), counts, nonMissing, rows), chunks };
  }

  /**
   * Each chunk's values as a view of one array. When the chunks' rows are not contiguous (a
   * time column out of order), the values are rearranged chunk by chunk into a new array once.
   */
  private numericChunks(
    values: Float64Array,
    chunkCount: number,
  ): { values: Float64Array; chunks: ChunkColumn[] } {
    const runs = this.runs!;
    const runsPerChunk = new Array<number>(chunkCount).fill(0);
    for (let index = 0; index < runs.length; index += 2) {
      const id = runs[index]!;
      if (id !== NO_CHUNK) runsPerChunk[id]!++;
    }
    const contiguous = runsPerChunk.every((count) => count <= 1);
    const runEnd = (index: number): number =>
      index + 2 < runs.length ? runs[index + 3]! : values.length;
    const ranges: [number, number][] = Array.from({ length: chunkCount }, () => [0, 0]);
    let ordered = values;
    if (contiguous) {
      for (let index = 0; index < runs.length; index += 2) {
        const id = runs[index]!;
        if (id !== NO_CHUNK) ranges[id] = [runs[index + 1]!, runEnd(index)];
      }
    } else {
      ordered = new Float64Array(values.length);
      const byChunk: number[][] = Array.from({ length: chunkCount + 1 }, () => []);
      for (let index = 0; index < runs.length; index += 2) {
        const id = runs[index]!;
        byChunk[id === NO_CHUNK ? chunkCount : id]!.push(index);
      }
      let cursor = 0;
      byChunk.forEach((runIndexes, id) => {
        const from = cursor;
        for (const index of runIndexes) {
          ordered.set(values.subarray(runs[index + 1]!, runEnd(index)), cursor);
          cursor += runEnd(index) - runs[index + 1]!;
        }
        if (id < chunkCount) ranges[id] = [from, cursor];
      });
    }
    const chunks = ranges.map(([from, to], id): ChunkColumn => {
      const nonFinite = this.chunkNonFinite![id] ?? 0;
      return {
        values: ordered.subarray(from, to),
        counts: new Map(),
        nonMissing: to - from + nonFinite,
        nonFinite,
      };
    });
    return { values: ordered, chunks };
  }

  private result(
    kind: CollectedKind,
    values: Float64Array,
    counts: Map<string, number>,
    nonMissing: number,
    rows: number,
  ): CollectedColumn {
    return {
      name: this.name,
      kind,
      values,
      counts,
      nonMissing,
      missing: rows - nonMissing,
      nonFinite: kind === "numeric" ? this.nonFinite : 0,
    };
  }

  private decodeKeys(counts: Map<string, number>, source: string): Map<string, number> {
    const decoded = new Map<string, number>();
    for (const [key, count] of counts) {
      let text: string;
      try {
        text = utf8.decode(Buffer.from(key, "latin1"));
      } catch {
        throw new CheckInputError(
          `${source}: column ${JSON.stringify(this.name)}: value is not valid UTF-8 ` +
            `(bytes ${Buffer.from(key, "latin1").toString("hex").slice(0, 40)}…); ` +
            `save the file as UTF-8`,
        );
      }
      decoded.set(text, (decoded.get(text) ?? 0) + count);
    }
    return decoded;
  }
}
