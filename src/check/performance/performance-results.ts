// Performance estimation of `check` computed in one go — the whole current file, then each chunk in
// report order — so it can run on a worker thread while the main thread compares the columns
// (estimate-in-worker.ts); the reports and warnings are the same as estimating chunk by chunk.
import type { ChunkSpec } from "../chunks/row-chunker.js";
import type { FileColumns } from "../read-plan.js";
import type { PerformanceReport } from "../report.js";
import { estimatePerformance } from "./estimate-performance.js";
import type { PerformanceSpec } from "./performance-flags.js";

/** What estimation needs of one file. */
export type ModelFile = Pick<FileColumns, "rowTable" | "columnNames">;

/** A chunk to estimate: its id in the layout and its index in the report. */
export interface ChunkRef {
  id: number;
  index: number;
}

export interface PerformanceResults {
  /** The whole current file's performance. */
  whole: PerformanceReport | undefined;
  /** Per chunk of the request, in its order (undefined: no row of the chunk has a score). */
  chunks: (PerformanceReport | undefined)[];
  warnings: string[];
}

export interface PerformanceRequest {
  spec: PerformanceSpec;
  reference: ModelFile;
  current: ModelFile;
  chunks?: ChunkSpec;
  /** The chunks of the current file in report order. */
  chunkRefs: readonly ChunkRef[];
}

export function performanceResults(request: PerformanceRequest): PerformanceResults {
  const run = estimatePerformance(request.spec, request.reference, request.current, request.chunks);
  const chunks = request.chunkRefs.map(({ id, index }) => run.chunk(id, index));
  return { whole: run.whole, chunks, warnings: run.warnings };
}
