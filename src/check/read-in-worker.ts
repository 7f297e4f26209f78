// Reading an input file of `check` on a worker thread, so the reference and the current file are
// parsed at the same time on two cores. Used for big files when running from the built JavaScript
// (a worker needs a .js entry); the result is the same as reading on the main thread.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ColumnSelection } from "./column-selection.js";
import { CheckInputError } from "./errors.js";
import type { FileColumns } from "./read-plan.js";

export interface WorkerReadRequest {
  path: string;
  label: string;
  selection: ColumnSelection;
}

export type WorkerReadMessage =
  | { type: "progress"; bytesRead: number; totalBytes: number }
  | { type: "done"; file: FileColumns }
  | { type: "error"; message: string; inputError: boolean };

const workerEntry = new URL("./read-worker.js", import.meta.url);

/** Whether reads can go to a worker thread (the compiled worker entry exists next to this file). */
export function workersAvailable(): boolean {
  return import.meta.url.endsWith(".js") && existsSync(fileURLToPath(workerEntry));
}

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
