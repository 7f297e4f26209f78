// `driftwatch copy`: moves an install's data from one ClickHouse to another (single node to cluster).
export { runCopy, type CopyOptions, type CopyReport, type TableReport } from "./run-copy.js";
export type { CopySides } from "./copy-unit.js";
export { COPIED_TABLES, selectTables, type CopiedTable } from "./tables.js";
export { CopyError } from "./errors.js";
