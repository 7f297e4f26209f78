// The exit code of `check` (DESIGN): 1 when the whole current file drifted, any chunk drifted, or
// any performance estimate raised its alert; 0 otherwise (2, for errors, is the CLI's).
import type { CheckReport, PerformanceReport } from "./report.js";

function alerted(performance: PerformanceReport | undefined): boolean {
  if (performance === undefined) return false;
  const figures = [
    ...Object.values(performance.estimated),
    ...Object.values(performance.realized ?? {}),
  ];
  return figures.some((figure) => figure.alert === true);
}

export function checkExitCode(report: CheckReport): 0 | 1 {
  if (report.drifted || alerted(report.performance)) return 1;
  for (const chunk of report.chunks ?? []) {
    if (chunk.drifted || alerted(chunk.performance)) return 1;
  }
  return 0;
}
