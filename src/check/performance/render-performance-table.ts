// The performance section of `check`'s table (with --task): per scope — the whole current file,
// then each chunk — one line per metric: the estimate with its sampling-error band, the
// reference's thresholds, ALERT when the estimate (or the realized value) leaves them, and the
// realized value beside when the rows have labels. A summary line counts the alerts.
import { formatFigure } from "../format-number.js";
import { alignedLines } from "../text-table.js";
import type { ChunkReport, PerformanceFigure, PerformanceReport } from "../report.js";

function figure(value: number | null | undefined): string {
  return value === null || value === undefined ? "-" : formatFigure(value);
}

function interval(lower: number | null | undefined, upper: number | null | undefined): string {
  if ((lower ?? null) === null && (upper ?? null) === null) return "-";
  return `[${figure(lower)}, ${figure(upper)}]`;
}

function alertCell(estimated: PerformanceFigure, realized: PerformanceFigure | undefined): string {
  const marks: string[] = [];
  if (estimated.alert === true) marks.push("ALERT");
  if (realized?.alert === true) marks.push("ALERT (realized)");
  return marks.length === 0 ? "no" : marks.join(", ");
}

function scopeRows(scope: string, performance: PerformanceReport): string[][] {
  const rows: string[][] = [];
  let first = true;
  for (const [metric, estimated] of Object.entries(performance.estimated)) {
    const realized = performance.realized?.[metric];
    rows.push([
      first ? scope : "",
      metric,
      figure(estimated.value),
      interval(estimated.lower, estimated.upper),
      interval(estimated.threshold_lower, estimated.threshold_upper),
      alertCell(estimated, realized),
      realized === undefined ? "-" : figure(realized.value),
    ]);
    first = false;
  }
  return rows;
}

function alerted(performance: PerformanceReport): boolean {
  return [
    ...Object.values(performance.estimated),
    ...Object.values(performance.realized ?? {}),
  ].some((figure) => figure.alert === true);
}

function scopeName(chunk: ChunkReport): string {
  return chunk.start !== null
    ? `chunk ${chunk.index} (${chunk.start})`
    : `chunk ${chunk.index} (rows ${chunk.from_row}-${chunk.to_row})`;
}

/** The section's lines, or none when nothing was estimated. */
export function renderPerformanceTable(
  whole: PerformanceReport | undefined,
  chunks: readonly ChunkReport[] | undefined,
): string[] {
  const scopes: [string, PerformanceReport][] = [];
  if (whole !== undefined) scopes.push(["whole file", whole]);
  for (const chunk of chunks ?? []) {
    if (chunk.performance !== undefined) scopes.push([scopeName(chunk), chunk.performance]);
  }
  if (scopes.length === 0) return [];
  const header = ["scope", "metric", "estimated", "band", "thresholds", "alert", "realized"];
  const rows = scopes.flatMap(([scope, performance]) => scopeRows(scope, performance));
  const alerts = scopes.filter(([, performance]) => alerted(performance));
  const labelled = whole?.labelled_rows ?? 0;
  const lines = [
    "Model performance, estimated from the scores (band: sampling error; thresholds: the " +
      "reference's mean ± 3σ);",
    labelled > 0
      ? `realized from the labels of ${labelled} current row(s):`
      : "no labels in the current file, so no realized values:",
    ...alignedLines(header, rows),
    "",
    alerts.length === 0
      ? "No performance alert"
      : `Performance alert in ${alerts.map(([scope]) => scope).join(", ")}: PERFORMANCE ALERT`,
  ];
  return lines;
}
