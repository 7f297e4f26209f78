// Turning compared columns into the per-column entries and the drift share of one comparison (the
// whole current file, or one chunk of it): the detectors' figures, the drift rule's verdicts.
import { type ColumnInput, evaluateDrift } from "../../detectors/index.js";
import { columnReport, type Computed, countsOf } from "./column-report.js";
import type { ColumnComparison, ColumnSample } from "./compare-column.js";
import type { ColumnReport } from "./report.js";

export interface ComparedColumn {
  name: string;
  kind: "numeric" | "categorical";
  comparison: ColumnComparison;
  reference: ColumnSample;
  current: ColumnSample;
}

export interface Judged {
  columns: Record<string, ColumnReport>;
  drift_share: number;
  drifted: boolean;
  /** Columns with figures (the rest are not computable). */
  computable: number;
}

/**
 * @param columns the entries of columns that are not compared, and placeholders keeping the
 *   order of the compared ones (filled in here); keyed by free-text names, so without prototype.
 * @param onComputed called for each computable column (e.g. to draw its histogram)
 */
export function judgeColumns(
  columns: Record<string, ColumnReport>,
  compared: readonly ComparedColumn[],
  onComputed?: (column: ComparedColumn) => void,
): Judged {
  const ruleInputs = Object.create(null) as Record<string, ColumnInput>;
  const computed = new Map<string, Computed>();
  for (const column of compared) {
    const { name, kind, comparison, reference, current } = column;
    const counts = countsOf(reference, current);
    if (!comparison.computable) {
      columns[name] = { computable: false, reason: comparison.reason, kind, ...counts };
      continue;
    }
    onComputed?.(column);
    ruleInputs[name] = { kind, nReference: reference.nonMissing, result: comparison.result };
    computed.set(name, { comparison, counts, reference, current });
  }
  if (computed.size === 0) return { columns, drift_share: 0, drifted: false, computable: 0 };
  const verdict = evaluateDrift(ruleInputs);
  for (const [name, entry] of computed) {
    columns[name] = columnReport(entry, verdict.columns[name]!);
  }
  return {
    columns,
    drift_share: verdict.drift_share,
    drifted: verdict.drifted,
    computable: computed.size,
  };
}
