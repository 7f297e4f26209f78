// The chunk section of `check`'s table: one line per chunk (its rows or period, drift share,
// verdict and the columns that drifted in it) and a summary line.
import { DRIFT_SHARE_METRIC } from "../../detectors/index.js";
import { formatFigure } from "./format-number.js";
import { alignedLines } from "./text-table.js";
import type { ChunkReport } from "./report.js";

const DRIFTED_NAMES_SHOWN = 4;

function driftedColumns(chunk: ChunkReport): string {
  const names: string[] = [];
  let count = 0;
  for (const [name, column] of Object.entries(chunk.columns)) {
    if (!column.computable || !column.drifted) continue;
    if (count++ < DRIFTED_NAMES_SHOWN)
      names.push(name.length > 24 ? `${name.slice(0, 23)}…` : name);
  }
  if (count === 0) return "-";
  return count > DRIFTED_NAMES_SHOWN
    ? `${names.join(", ")}, … (${count} in all)`
    : names.join(", ");
}

export function renderChunksTable(chunks: readonly ChunkReport[]): string[] {
  const byTime = chunks.some((chunk) => chunk.start !== null);
  const header = byTime
    ? ["chunk", "start", "end", "rows", DRIFT_SHARE_METRIC, "drifted", "drifted columns"]
    : ["chunk", "from_row", "to_row", "rows", DRIFT_SHARE_METRIC, "drifted", "drifted columns"];
  const rows = chunks.map((chunk) => [
    String(chunk.index),
    byTime ? (chunk.start ?? "-") : String(chunk.from_row),
    byTime
      ? (chunk.end ?? "-")
      : String(chunk.to_row) + (chunk.partial === true ? " (partial)" : ""),
    String(chunk.rows),
    formatFigure(chunk.drift_share),
    chunk.drifted ? "DRIFT" : "no",
    driftedColumns(chunk),
  ]);
  const drifted = chunks.filter((chunk) => chunk.drifted).length;
  return [
    `Chunks of the current file, each compared with the whole reference:`,
    ...alignedLines(header, rows),
    "",
    `Drift in ${drifted} of ${chunks.length} chunk${chunks.length === 1 ? "" : "s"}` +
      (drifted > 0 ? ": CHUNK DRIFT" : ""),
  ];
}
