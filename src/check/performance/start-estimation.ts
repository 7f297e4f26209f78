// Where `check` estimates performance: on a thread of its own for big files (estimate-in-worker.ts,
// started before the reading so its start-up overlaps it), else on the main thread right away.
// Either way the caller gets a promise of the same results and attaches them to its reports.
import { stat } from "node:fs/promises";
import type { ChunkSpec } from "../chunks/row-chunker.js";
import { orderedChunks } from "../compare-chunks.js";
import type { FileColumns } from "../read-plan.js";
import type { ChunkReport } from "../report.js";
import { estimateInParallel } from "../threads.js";
import { EstimationThread } from "./estimate-in-worker.js";
import type { PerformanceSpec } from "./performance-flags.js";
import {
  type PerformanceRequest,
  type PerformanceResults,
  performanceResults,
} from "./performance-results.js";

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0; // the reader reports why it cannot read the file
  }
}

/** A started estimation thread when the files are big enough for one, else null. */
export async function estimationThread(
  spec: PerformanceSpec | undefined,
  paths: readonly string[],
): Promise<EstimationThread | null> {
  if (spec === undefined) return null;
  const sizes = await Promise.all(paths.map(sizeOf));
  return estimateInParallel(sizes.reduce((sum, size) => sum + size, 0))
    ? new EstimationThread()
    : null;
}

/**
 * Estimates the whole current file and each of its chunks: on `thread` (the row buffers are
 * transferred away), or here and now when there is none (an error is then thrown right away).
 */
export function estimate(
  thread: EstimationThread | null,
  spec: PerformanceSpec,
  reference: FileColumns,
  current: FileColumns,
  chunks: ChunkSpec | undefined,
): Promise<PerformanceResults> {
  const chunkRefs =
    chunks === undefined || current.chunks === undefined
      ? []
      : orderedChunks(current.chunks).map((chunk, index) => ({ id: chunk.id, index }));
  const request: PerformanceRequest = {
    spec,
    reference: { rowTable: reference.rowTable, columnNames: reference.columnNames },
    current: { rowTable: current.rowTable, columnNames: current.columnNames },
    ...(chunks === undefined ? {} : { chunks }),
    chunkRefs,
  };
  if (thread !== null) return thread.run(request);
  return Promise.resolve(performanceResults(request));
}

/** Each chunk's performance, as the last entry of its report (report order = request order). */
export function attachChunkPerformance(
  reports: ChunkReport[] | undefined,
  results: PerformanceResults,
): void {
  reports?.forEach((report, index) => {
    const performance = results.chunks[index];
    if (performance !== undefined) report.performance = performance;
  });
}
