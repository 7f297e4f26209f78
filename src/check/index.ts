// Public surface of `driftwatch check` (offline drift report on two files): running it, its
// options, and rendering its outcome as a table, the --json document or the --html page.
export { type CheckFlagValues, optionsFromFlags } from "./check-flags.js";
export type { ChunkSpec } from "./chunks/row-chunker.js";
export { parseColumnList } from "./column-list.js";
export { CheckInputError } from "./errors.js";
export { checkExitCode } from "./exit-code.js";
export { DEFAULT_NA_VALUES } from "./missing-values.js";
export {
  formatScoreColumns,
  parseScoreColumns,
  type PerformanceSpec,
  type ScoreColumn,
} from "./performance/performance-flags.js";
export { checkOutputPath } from "./output-paths.js";
export { type ProgressReporter, silentProgress, stderrProgress } from "./progress.js";
export { DEFAULT_MAX_COLUMNS, DEFAULT_MAX_LINE_BYTES, type ReadOptions } from "./read-options.js";
export { renderHtml } from "./render-html.js";
export { renderJson } from "./render-json.js";
export { renderTable } from "./render-table.js";
export type {
  CheckOutcome,
  CheckReport,
  ChunkReport,
  ColumnHistogram,
  ColumnReport,
  PerformanceFigure,
  PerformanceReport,
} from "./report.js";
export { type CheckOptions, runCheck } from "./run-check.js";
