// Worker-thread entry of performance estimation in `check` (see estimate-in-worker.ts): receives
// one request, answers with the results or the error, and ends.
import { parentPort } from "node:worker_threads";
import { CheckInputError } from "../errors.js";
import type { EstimationMessage } from "./estimate-in-worker.js";
import { type PerformanceRequest, performanceResults } from "./performance-results.js";

parentPort!.once("message", (request: PerformanceRequest) => {
  let message: EstimationMessage;
  try {
    message = { type: "done", results: performanceResults(request) };
  } catch (error) {
    message = {
      type: "error",
      message: error instanceof Error ? error.message : String(error),
      inputError: error instanceof CheckInputError,
    };
  }
  parentPort!.postMessage(message);
});
