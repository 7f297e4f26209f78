// Performance estimation of `check` on a worker thread, so it runs while the main thread compares
// the columns (threads.ts says when). The thread starts before the files are read — its start-up
// overlaps the reading — and waits, unreferenced, for the rows; they travel by transfer (the main
// thread does not use them again). The results are those of performanceResults on the main thread.
import { Worker } from "node:worker_threads";
import { CheckInputError } from "../errors.js";
import { workerUrl } from "../threads.js";
import type { ModelFile, PerformanceRequest, PerformanceResults } from "./performance-results.js";

export type EstimationMessage =
  | { type: "done"; results: PerformanceResults }
  | { type: "error"; message: string; inputError: boolean };

const workerEntry = workerUrl("performance/estimate-worker.js");

function buffersOf(files: readonly ModelFile[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const file of files) {
    for (const column of file.rowTable?.columns.values() ?? []) {
      buffers.add(column.values.buffer as ArrayBuffer);
    }
    if (file.rowTable?.chunkIds !== undefined) {
      buffers.add(file.rowTable.chunkIds.buffer as ArrayBuffer);
    }
  }
  return [...buffers];
}

export class EstimationThread {
  private readonly worker = new Worker(workerEntry);
  private failure: Error | null = null;
  private finished = false;
  private settle: ((message: EstimationMessage | Error) => void) | null = null;

  constructor() {
    this.worker.unref(); // while idle it never keeps the process alive
    this.worker.on("message", (message: EstimationMessage) => this.end(message));
    this.worker.on("error", (error) => this.end(error));
    this.worker.on("exit", (code) => {
      this.end(new Error(`the performance estimation thread stopped (exit code ${code})`));
    });
  }

  private end(outcome: EstimationMessage | Error): void {
    if (this.finished) return;
    if (this.settle === null) {
      if (outcome instanceof Error) this.failure = outcome;
      return;
    }
    this.finished = true;
    this.settle(outcome);
    void this.worker.terminate();
  }

  /** Estimates on the thread; the request's row buffers are transferred. */
  run(request: PerformanceRequest): Promise<PerformanceResults> {
    const result = new Promise<PerformanceResults>((resolve, reject) => {
      this.settle = (outcome) => {
        if (outcome instanceof Error) reject(outcome);
        else if (outcome.type === "done") resolve(outcome.results);
        else {
          reject(
            outcome.inputError ? new CheckInputError(outcome.message) : new Error(outcome.message),
          );
        }
      };
    });
    result.catch(() => undefined); // awaited later; a failure meanwhile is not unhandled
    if (this.failure !== null) {
      this.end(this.failure);
      return result;
    }
    this.worker.ref();
    this.worker.postMessage(request, buffersOf([request.reference, request.current]));
    return result;
  }

  /** Stops the thread (reading failed, or estimation is not wanted after all). */
  cancel(): void {
    this.finished = true;
    void this.worker.terminate();
  }
}
