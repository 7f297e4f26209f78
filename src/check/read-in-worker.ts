// Reading an input file of `check` on a worker thread, so the reference and the current file are
// parsed at the same time on two cores (threads.ts says when); the result is the same as reading
// on the main thread.
import { Worker } from "node:worker_threads";
import type { ColumnSelection } from "./column-selection.js";
import { CheckInputError } from "./errors.js";
import type { ReadOptions } from "./read-options.js";
import type { FileColumns } from "./read-plan.js";
import type { RowColumnRequest } from "./row-columns.js";
import { workerUrl } from "./threads.js";

export interface WorkerReadRequest {
  path: string;
  label: string;
  selection: ColumnSelection;
  options: ReadOptions;
  rowColumns?: readonly RowColumnRequest[];
}

export type WorkerReadMessage =
  | { type: "progress"; bytesRead: number; totalBytes: number }
  | { type: "done"; file: FileColumns }
  | { type: "error"; message: string; inputError: boolean };

const workerEntry = workerUrl("read-worker.js");

export interface WorkerRead {
  result: Promise<FileColumns>;
  /** Stops the worker (when the other file failed and this result is no longer wanted). */
  cancel(): void;
}

export function readColumnsInWorker(
  request: WorkerReadRequest,
  onProgress: (bytesRead: number, totalBytes: number) => void,
): WorkerRead {
  const worker = new Worker(workerEntry, { workerData: request });
  let settled = false;
  const result = new Promise<FileColumns>((resolve, reject) => {
    worker.on("message", (message: WorkerReadMessage) => {
      if (message.type === "progress") {
        onProgress(message.bytesRead, message.totalBytes);
      } else if (message.type === "done") {
        settled = true;
        resolve(message.file);
      } else {
        settled = true;
        reject(
          message.inputError ? new CheckInputError(message.message) : new Error(message.message),
        );
      }
    });
    worker.on("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.on("exit", (code) => {
      if (!settled)
        reject(new Error(`the reader thread for ${request.path} stopped (exit code ${code})`));
    });
  });
  result.catch(() => undefined); // a rejection after cancel() is nobody's concern
  return {
    result,
    cancel: () => {
      settled = true;
      void worker.terminate();
    },
  };
}
