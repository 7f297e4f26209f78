// The columns `check` keeps row by row (a model's scores, predictions and labels for performance
// estimation), unlike the features, whose missing cells are dropped: every data row keeps its
// place, a missing cell is NaN (numbers) or code -1 (labels), and a chunked file also keeps each
// row's chunk id. Labels are stored as codes into the distinct values (numbers by value, so 1,
// 1.0 and 1e0 are the label "1"; booleans "true"/"false" as in categories).
import { csvCategoryKey } from "./category-key.js";
import { CheckInputError } from "./errors.js";
import { GrowableFloat64 } from "./growable-float64.js";
import type { MissingValues } from "./missing-values.js";

/** A column read row by row: "number" (scores) or "label" (labels, predictions). */
export interface RowColumnRequest {
  name: string;
  kind: "number" | "label";
  /** The flag that named it, for messages (e.g. "--score-column"). */
  flag: string;
}

export interface RowAlignedColumn {
  readonly name: string;
  readonly kind: "number" | "label";
  /** number: the value per row (NaN when missing); label: the code per row (-1 when missing). */
  readonly values: Float64Array;
  /** label: the distinct values, indexed by code. */
  readonly keys: readonly string[];
}

export interface RowTable {
  /** Data rows of the file. */
  readonly rows: number;
  /** The requested columns the file has (a requested column it lacks is absent). */
  readonly columns: ReadonlyMap<string, RowAlignedColumn>;
  /** The chunk id of each row when the file was cut into chunks (-1: in no chunk). */
  readonly chunkIds?: Float64Array;
}

// Keys of CSV cells are Latin-1 text of their bytes, decoded as UTF-8 once per distinct key.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export class RowColumnCollector {
  readonly values = new GrowableFloat64();
  private readonly codes = new Map<string, number>();
  /** CSV: the code of each cell text seen (1.0 and 1 differ here, not in `codes`). */
  private readonly cellCodes = new Map<string, number>();
  /** CSV: the code (−1: missing) of each cell of up to three bytes seen, by csvShortLabel's key. */
  private readonly shortCellCodes = new Map<number, number>();

  constructor(
    readonly request: RowColumnRequest,
    private readonly latin1Keys: boolean,
  ) {}

  missing(): void {
    this.values.push(this.request.kind === "number" ? NaN : -1);
  }

  number(value: number): void {
    this.values.push(value);
  }

  label(key: string): void {
    let code = this.codes.get(key);
    if (code === undefined) {
      code = this.codes.size;
      this.codes.set(key, code);
    }
    this.values.push(code);
  }

  /** A CSV label cell: `text` is its bytes as Latin-1 (the canonical key is computed once). */
  csvLabel(text: string, cell: Buffer): void {
    this.values.push(this.cellCode(text, cell));
  }

  private cellCode(text: string, cell: Buffer): number {
    let code = this.cellCodes.get(text);
    if (code === undefined) {
      const key = csvCategoryKey(cell, 0, cell.length, true);
      code = this.codes.get(key);
      if (code === undefined) {
        code = this.codes.size;
        this.codes.set(key, code);
      }
      this.cellCodes.set(text, code);
    }
    return code;
  }

  /**
   * A CSV label cell of at most three bytes (e.g. 0 and 1), known by its bytes without decoding
   * them: false when longer (use csvLabel). Missing values (per `missing`) get code −1.
   */
  csvShortLabel(bytes: Buffer, start: number, end: number, missing: MissingValues): boolean {
    const length = end - start;
    if (length > 3) return false;
    let key = length; // (length, bytes…) in base 256: distinct for distinct cells
    for (let i = start; i < end; i++) key = key * 256 + bytes[i]!;
    let code = this.shortCellCodes.get(key);
    if (code === undefined) {
      const text = bytes.toString("latin1", start, end);
      code = missing.isMissing(text) ? -1 : this.cellCode(text, bytes.subarray(start, end));
      this.shortCellCodes.set(key, code);
    }
    this.values.push(code);
    return true;
  }

  /** A cell of a "number" column that is not a number. */
  notANumber(source: string, line: number, text: string): never {
    const { name, flag } = this.request;
    throw new CheckInputError(
      `${source}: line ${line}: ${flag} column ${JSON.stringify(name)}: ` +
        `${JSON.stringify(text.slice(0, 80))} is not a number`,
    );
  }

  finish(source: string): RowAlignedColumn {
    const keys = [...this.codes.keys()].map((key) => {
      if (!this.latin1Keys) return key;
      try {
        return utf8.decode(Buffer.from(key, "latin1"));
      } catch {
        throw new CheckInputError(
          `${source}: ${this.request.flag} column ${JSON.stringify(this.request.name)}: ` +
            `a value is not valid UTF-8; save the file as UTF-8`,
        );
      }
    });
    return {
      name: this.request.name,
      kind: this.request.kind,
      values: this.values.toArray(),
      keys,
    };
  }
}

/** Collects the requested columns of one file and, when chunked, each row's chunk id. */
export class RowTableCollector {
  private readonly collectors = new Map<string, RowColumnCollector>();
  private readonly chunkIds: GrowableFloat64 | null;

  constructor(
    private readonly requests: readonly RowColumnRequest[],
    private readonly latin1Keys: boolean,
    chunked: boolean,
  ) {
    this.chunkIds = chunked ? new GrowableFloat64() : null;
  }

  /** The collector of column `name` when it is requested (called once per column of the file). */
  collectorFor(name: string): RowColumnCollector | null {
    const request = this.requests.find((candidate) => candidate.name === name);
    if (request === undefined) return null;
    let collector = this.collectors.get(name);
    if (collector === undefined) {
      collector = new RowColumnCollector(request, this.latin1Keys);
      this.collectors.set(name, collector);
    }
    return collector;
  }

  /** A JSONL key first seen on row `rows` (0-based): the rows before it had it missing. */
  backfill(collector: RowColumnCollector, rows: number): void {
    while (collector.values.length < rows) collector.missing();
  }

  reserve(rows: number): void {
    for (const collector of this.collectors.values()) collector.values.reserve(rows);
    this.chunkIds?.reserve(rows);
  }

  /** Called once per data row, with its chunk id when chunked. */
  row(chunkId: number): void {
    this.chunkIds?.push(chunkId);
  }

  get active(): boolean {
    return this.requests.length > 0;
  }

  finish(rows: number, source: string): RowTable {
    const columns = new Map<string, RowAlignedColumn>();
    for (const [name, collector] of this.collectors) {
      this.backfill(collector, rows);
      columns.set(name, collector.finish(source));
    }
    return this.chunkIds === null
      ? { rows, columns }
      : { rows, columns, chunkIds: this.chunkIds.toArray() };
  }
}
