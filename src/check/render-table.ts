// The default output of `check`: one line per column (column, kind, test, value, threshold,
// drifted, PSI) and a summary line with the drift share.
import { DRIFT_METRIC, DRIFT_TEST } from "../../detectors/index.js";
import { formatFigure } from "./format-number.js";
import type { CheckReport } from "./report.js";

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

export function renderTable(report: CheckReport): string {
  const header = ["column", "kind", "test", "value", "threshold", "drifted", DRIFT_METRIC.psi];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const [name, column] of Object.entries(report.columns)) {
    if (!column.computable) {
      rows.push([fit(name), column.kind ?? "-", "not computable", "-", "-", "-", "-"]);
      notes.push(`  ${name}: ${column.reason}`);
      continue;
    }
    rows.push([
      fit(name),
      column.kind,
      testLabel(column.test),
      formatFigure(column.value),
      formatFigure(column.threshold),
      column.drifted ? "DRIFT" : "no",
      formatFigure(column.psi),
    ]);
  }
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => row[index].length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, index) => cell.padEnd(widths[index]))
      .join("  ")
      .trimEnd();
  const computable = Object.values(report.columns).filter((column) => column.computable);
  const drifted = computable.filter((column) => column.computable && column.drifted).length;
  const summary =
    `Drift in ${drifted} of ${computable.length} compared column${computable.length === 1 ? "" : "s"} ` +
    `(drift share ${formatFigure(report.drift_share)}): ` +
    (report.drifted ? "DATASET DRIFTED" : "no dataset drift");
  const parts = [line(header), ...rows.map(line)];
  if (notes.length > 0) parts.push("", "Not computable:", ...notes);
  parts.push("", summary);
  return parts.join("\n") + "\n";
}
