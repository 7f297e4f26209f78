// The default output of `check`: one line per column (column, kind, test, value, threshold,
// drifted, PSI, missing values in each file) and a summary line with the drift share, then the
// chunks if the current file was cut into chunks. Linear in the number of columns (no spreading
// of per-column arrays into calls: 200,000 columns print like 20).
import { DRIFT_METRIC, DRIFT_TEST } from "../../detectors/index.js";
import { formatFigure } from "./format-number.js";
import { renderPerformanceTable } from "./performance/render-performance-table.js";
import { renderChunksTable } from "./render-chunks-table.js";
import { alignedLines } from "./text-table.js";
import type { CheckReport, ColumnReport } from "./report.js";

const MAX_NAME_WIDTH = 40;
const TEST_LABELS: Readonly<Record<string, string>> = {
  [DRIFT_TEST.ks]: "KS p-value",
  [DRIFT_TEST.chi2]: "chi2 p-value",
  [DRIFT_TEST.wassersteinNormed]: "Wasserstein (normed)",
  [DRIFT_TEST.js]: "Jensen-Shannon",
  [DRIFT_TEST.psi]: "PSI",
};

function fit(name: string): string {
  return name.length <= MAX_NAME_WIDTH ? name : `${name.slice(0, MAX_NAME_WIDTH - 1)}…`;
}

export function testLabel(test: string): string {
  return TEST_LABELS[test] ?? test;
}

/** "12 (0.3%)": a missing count and its share of the file's rows. */
export function formatMissing(missing: number | undefined, present: number | undefined): string {
  if (missing === undefined || present === undefined) return "-";
  const rows = missing + present;
  if (missing === 0 || rows === 0) return "0";
  const percent = (100 * missing) / rows;
  const shown =
    percent < 0.1
      ? "<0.1"
      : percent >= 99.95 && missing < rows
        ? ">99.9"
        : String(Number(percent.toFixed(1)));
  return `${missing} (${shown}%)`;
}

function missingCells(column: ColumnReport): [string, string] {
  return [
    formatMissing(column.missing_reference, column.n_reference),
    formatMissing(column.missing_current, column.n_current),
  ];
}

export function renderTable(report: CheckReport): string {
  const header = [
    "column",
    "kind",
    "test",
    "value",
    "threshold",
    "drifted",
    DRIFT_METRIC.psi,
    "missing_ref",
    "missing_cur",
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  let computable = 0;
  let drifted = 0;
  for (const [name, column] of Object.entries(report.columns)) {
    if (!column.computable) {
      rows.push([
        fit(name),
        column.kind ?? "-",
        "not computable",
        "-",
        "-",
        "-",
        "-",
        ...missingCells(column),
      ]);
      notes.push(`  ${name}: ${column.reason}`);
      continue;
    }
    computable++;
    if (column.drifted) drifted++;
    rows.push([
      fit(name),
      column.kind,
      testLabel(column.test),
      formatFigure(column.value),
      formatFigure(column.threshold),
      column.drifted ? "DRIFT" : "no",
      formatFigure(column.psi),
      ...missingCells(column),
    ]);
  }
  const summary =
    `Drift in ${drifted} of ${computable} compared column${computable === 1 ? "" : "s"} ` +
    `(drift share ${formatFigure(report.drift_share)}): ` +
    (report.drifted ? "DATASET DRIFTED" : "no dataset drift");
  const parts = alignedLines(header, rows);
  if (notes.length > 0) {
    parts.push("", "Not computable:");
    for (const note of notes) parts.push(note);
  }
  parts.push("", summary);
  if (report.chunks !== undefined) {
    parts.push("");
    for (const line of renderChunksTable(report.chunks)) parts.push(line);
  }
  const performance = renderPerformanceTable(report.performance, report.chunks);
  if (performance.length > 0) parts.push("", ...performance);
  return parts.join("\n") + "\n";
}
