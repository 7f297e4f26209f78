// Worker-thread entry that compares numeric columns for `check` (see compare-pool.ts): receives a
// column's two samples (transferred), answers with the figures and the samples back (sorted).
import { parentPort } from "node:worker_threads";
import { compareNumericValues } from "./compare-column.js";
import type { CompareRequest, CompareResponse } from "./compare-pool.js";

parentPort!.on("message", (request: CompareRequest) => {
  const comparison = compareNumericValues(request.reference, request.current);
  const response: CompareResponse = { ...request, comparison };
  const buffers = [request.reference.buffer, request.current.buffer] as ArrayBuffer[];
  parentPort!.postMessage(response, buffers);
});
