// Deciding each column's kind across the two files. A column is categorical when it is forced
// (--categorical) or when either file holds a value that is not a finite number in it; numeric
// when every non-missing value in both files is a number; undecided when both are all missing.
import type { CollectedKind } from "./column-collector.js";

export type FinalKind = "numeric" | "categorical" | "undecided";

export function finalKind(
  reference: CollectedKind,
  current: CollectedKind,
  forcedCategorical: boolean,
): FinalKind {
  if (forcedCategorical) return "categorical";
  const categoricalSomewhere = (kind: CollectedKind): boolean =>
    kind === "categorical" || kind === "mixed";
  if (categoricalSomewhere(reference) || categoricalSomewhere(current)) return "categorical";
  if (reference === "numeric" || current === "numeric") return "numeric";
  return "undecided";
}

/** Whether a file's column must be read again as categories to reach the final kind. */
export function needsCategoricalRead(collected: CollectedKind, kind: FinalKind): boolean {
  return kind === "categorical" && (collected === "numeric" || collected === "mixed");
}
