// Worker-thread entry that reads one input file of `check` (see read-in-worker.ts): posts progress,
// then the collected columns with their value buffers transferred (not copied), or the error.
import { parentPort, workerData } from "node:worker_threads";
import { modeFor } from "./column-selection.js";
import { CheckInputError } from "./errors.js";
import { readColumns } from "./read-columns.js";
import type { WorkerReadRequest, WorkerReadMessage } from "./read-in-worker.js";

const request = workerData as WorkerReadRequest;
const post = (message: WorkerReadMessage, transfer: ArrayBuffer[] = []): void =>
  parentPort!.postMessage(message, transfer);

try {
  const file = await readColumns(request.path, request.label, {
    modeFor: modeFor(request.selection),
    options: request.options,
    ...(request.rowColumns === undefined ? {} : { rowColumns: request.rowColumns }),
    onProgress: (bytesRead, totalBytes) => post({ type: "progress", bytesRead, totalBytes }),
  });
  const buffers = [...file.columns.values(), ...(file.rowTable?.columns.values() ?? [])].map(
    (column) => column.values.buffer as ArrayBuffer,
  );
  post({ type: "done", file }, buffers);
} catch (error) {
  post({
    type: "error",
    message: error instanceof Error ? error.message : String(error),
    inputError: error instanceof CheckInputError,
  });
}
