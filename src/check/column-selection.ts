// Which columns a read of one file collects, and how, in a form that can be sent to a worker
// thread: a list of wanted columns (or all), columns that are not features, those to count as
// categories (as written, or forced with numbers by value), and the mode of the rest.
import type { CollectMode } from "./column-collector.js";
import type { ReadPlan } from "./read-plan.js";

export interface ColumnSelection {
  /** Only these columns are collected (null: every column). */
  only: readonly string[] | null;
  /** Never collected (not features, e.g. the --chunk-by column). */
  excluded?: readonly string[];
  /** Collected as categories as written, whatever their values look like. */
  categorical: readonly string[];
  /** Collected as categories with numbers counted by value (--categorical). */
  forced?: readonly string[];
  /** How the other wanted columns are collected (null: skipped). */
  others: CollectMode | null;
}

export function modeFor(selection: ColumnSelection): ReadPlan["modeFor"] {
  const only = selection.only === null ? null : new Set(selection.only);
  const excluded = new Set(selection.excluded ?? []);
  const categorical = new Set(selection.categorical);
  const forced = new Set(selection.forced ?? []);
  return (name) => {
    if ((only !== null && !only.has(name)) || excluded.has(name)) return null;
    if (forced.has(name)) return "forced-categorical";
    return categorical.has(name) ? "categorical" : selection.others;
  };
}
