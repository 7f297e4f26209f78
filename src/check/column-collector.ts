// What `check` keeps of one column while a file streams past: numeric values in a growable
// Float64Array, or counts per category — never the raw rows. Kind inference happens here: a column
// collected as "infer" stays numeric while every non-missing value is a finite number.
import { CheckInputError } from "./errors.js";
import { GrowableFloat64 } from "./growable-float64.js";

/** How a column is collected: infer its kind, or count its values as categories. */
export type CollectMode = "infer" | "categorical";

/**
 * What a file says about a column: numeric (every non-missing value a number), categorical
 * (collected as categories), mixed (inferred, but some value is not a number: it must be read
 * again as categorical), or empty (every value missing).
 */
export type CollectedKind = "numeric" | "categorical" | "mixed" | "empty";

export interface CollectedColumn {
  readonly name: string;
  readonly kind: CollectedKind;
  /** Non-missing values of a numeric column (empty otherwise). */
  readonly values: Float64Array;
  /** Counts per category of a categorical column (empty otherwise). */
  readonly counts: Map<string, number>;
  /** Non-missing and missing rows (a mixed column counts nothing: it is read again). */
  readonly nonMissing: number;
  readonly missing: number;
}

// Cells are decoded one by one: a U+FEFF at the start of a cell is data, kept (the file's BOM is
// dropped by the record parser).
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export class ColumnCollector {
  /** Still collecting numbers (mode "infer" and no non-number seen yet). */
  inferring: boolean;
  /** Collecting categories. */
  readonly categorical: boolean;
  readonly values: GrowableFloat64 | null;
  readonly counts = new Map<string, number>();
  private mixed = false;

  /**
   * @param latin1Keys category keys are raw bytes as Latin-1 text (CSV), checked and decoded as
   *   UTF-8 once per distinct category when the file ends.
   */
  constructor(
    readonly name: string,
    mode: CollectMode,
    private readonly latin1Keys: boolean,
  ) {
    this.inferring = mode === "infer";
    this.categorical = mode === "categorical";
    this.values = this.inferring ? new GrowableFloat64() : null;
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

  finish(rows: number, source: string): CollectedColumn {
    if (this.mixed) {
      return this.result("mixed", new Float64Array(0), new Map(), 0, rows);
    }
    if (this.categorical) {
      const counts = this.latin1Keys ? this.decodeKeys(source) : this.counts;
      let nonMissing = 0;
      for (const count of counts.values()) nonMissing += count;
      const kind = nonMissing === 0 ? "empty" : "categorical";
      return this.result(kind, new Float64Array(0), counts, nonMissing, rows);
    }
    const values = this.values === null ? new Float64Array(0) : this.values.toArray();
    const kind = values.length === 0 ? "empty" : "numeric";
    return this.result(kind, values, new Map(), values.length, rows);
  }

  private result(
    kind: CollectedKind,
    values: Float64Array,
    counts: Map<string, number>,
    nonMissing: number,
    rows: number,
  ): CollectedColumn {
    return { name: this.name, kind, values, counts, nonMissing, missing: rows - nonMissing };
  }

  private decodeKeys(source: string): Map<string, number> {
    const decoded = new Map<string, number>();
    for (const [key, count] of this.counts) {
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
