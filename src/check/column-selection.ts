// Which columns a read of one file collects, and how, in a form that can be sent to a worker
// thread: a list of wanted columns (or all), those to count as categories, and the mode of the rest.
import type { CollectMode } from "./column-collector.js";
import type { ReadPlan } from "./read-plan.js";

export interface ColumnSelection {
  /** Only these columns are collected (null: every column). */
  only: readonly string[] | null;
  /** Collected as categories whatever their values look like. */
  categorical: readonly string[];
  /** How the other wanted columns are collected (null: skipped). */
  others: CollectMode | null;
}

export function modeFor(selection: ColumnSelection): ReadPlan["modeFor"] {
  const only = selection.only === null ? null : new Set(selection.only);
  const categorical = new Set(selection.categorical);
  return (name) => {
    if (only !== null && !only.has(name)) return null;
    return categorical.has(name) ? "categorical" : selection.others;
  };
}
