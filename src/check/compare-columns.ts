// Comparing every column of `check` that both files have: categorical columns and small inputs on
// the main thread, big numeric columns on worker threads (compare-pool.ts) when that pays off.
import type { PreparedNumericReference } from "../../detectors/index.js";
import type { ColumnSample } from "./compare-column.js";
import {
  type ColumnComparison,
  compareCategoricalCounts,
  compareNumericValues,
  missingReason,
} from "./compare-column.js";
import { compareInWorkers } from "./compare-pool.js";
import { compareInParallel } from "./threads.js";

export interface ColumnPair {
  name: string;
  kind: "numeric" | "categorical";
  reference: ColumnSample;
  current: ColumnSample;
}

/** A pair with its comparison; numeric samples may come back sorted (as new arrays). */
export interface ComparedPair extends ColumnPair {
  comparison: ColumnComparison;
}

/**
 * @param prepared numeric references already sorted and binned (for the chunks): the same
 *   figures without sorting them again.
 */
export async function compareColumns(
  pairs: readonly ColumnPair[],
  prepared?: ReadonlyMap<string, PreparedNumericReference>,
): Promise<ComparedPair[]> {
  const numeric = pairs.filter(
    (pair) => pair.kind === "numeric" && missingReason(pair.reference, pair.current) === null,
  );
  const values = numeric.reduce(
    (sum, pair) => sum + pair.reference.nonMissing + pair.current.nonMissing,
    0,
  );
  const threaded = compareInParallel(numeric.length, values)
    ? await compareInWorkers(
        numeric.map((pair) => ({
          name: pair.name,
          reference: pair.reference.values,
          current: pair.current.values,
        })),
      )
    : null;
  return pairs.map((pair) => {
    const missing = missingReason(pair.reference, pair.current);
    if (missing !== null) return { ...pair, comparison: { computable: false, reason: missing } };
    if (pair.kind === "categorical") {
      return {
        ...pair,
        comparison: compareCategoricalCounts(pair.reference.counts, pair.current.counts),
      };
    }
    const response = threaded?.get(pair.name);
    if (response === undefined) {
      return {
        ...pair,
        comparison: compareNumericValues(
          prepared?.get(pair.name) ?? pair.reference.values,
          pair.current.values,
        ),
      };
    }
    return {
      ...pair,
      reference: { ...pair.reference, values: response.reference },
      current: { ...pair.current, values: response.current },
      comparison: response.comparison,
    };
  });
}
