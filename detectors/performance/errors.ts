// The error thrown for malformed performance-metric input: it names the offending field (and
// row) and says why, so a caller can report it without guessing.

export class PerformanceInputError extends Error {
  /** Dotted path of the bad input, e.g. `current.y_pred[12]` or `options.threshold`. */
  readonly field: string;

  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.name = "PerformanceInputError";
    this.field = field;
  }
}
