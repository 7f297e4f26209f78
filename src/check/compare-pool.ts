// Comparing many big numeric columns on several cores: a few worker threads take columns from a
// queue; the samples travel by transfer (no copy) and come back, sorted, with the figures. The
// results are the same as comparing on the main thread.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ColumnComparison } from "./compare-column.js";
import { workerUrl } from "./threads.js";

export interface CompareRequest {
  name: string;
  reference: Float64Array;
  current: Float64Array;
}

export interface CompareResponse extends CompareRequest {
  comparison: ColumnComparison;
}

const MAX_WORKERS = 4;
const workerEntry = workerUrl("compare-worker.js");

/** Compares every request on up to min(cores, 4) worker threads; resolves when all are done. */
export async function compareInWorkers(
  requests: readonly CompareRequest[],
): Promise<Map<string, CompareResponse>> {
  const results = new Map<string, CompareResponse>();
  const queue = [...requests];
  const workerCount = Math.min(availableParallelism(), MAX_WORKERS, queue.length);
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(workerEntry);
      const next = (): void => {
        const request = queue.shift();
        if (request === undefined) {
          void worker.terminate().then(() => resolve());
          return;
        }
        worker.postMessage(request, [
          request.reference.buffer,
          request.current.buffer,
        ] as ArrayBuffer[]);
      };
      worker.on("message", (response: CompareResponse) => {
        results.set(response.name, response);
        next();
      });
      worker.on("error", reject);
      worker.on("exit", (code) => {
        if (code !== 0 && code !== 1)
          reject(new Error(`a comparison thread stopped (exit code ${code})`));
      });
      next();
    });
  await Promise.all(Array.from({ length: workerCount }, runWorker));
  return results;
}
