// Public surface of `driftwatch check` (offline drift report on two files): running it, and
// rendering its outcome as a table, the --json document or the --html page.
export { parseColumnList } from "./column-list.js";
export { CheckInputError } from "./errors.js";
export { type ProgressReporter, silentProgress, stderrProgress } from "./progress.js";
export { renderHtml } from "./render-html.js";
export { renderJson } from "./render-json.js";
export { renderTable } from "./render-table.js";
export type { CheckOutcome, CheckReport, ColumnHistogram, ColumnReport } from "./report.js";
export { type CheckOptions, runCheck } from "./run-check.js";
