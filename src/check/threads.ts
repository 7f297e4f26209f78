// When `check` uses worker threads: for big inputs, when running from the built JavaScript (a
// worker needs a .js entry next to this file). DRIFTWATCH_CHECK_THREADS=off never uses them,
// =always uses them even for small inputs (the tests exercise the threaded path that way).
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

/** Files together at least this big are read on two threads. */
const READ_MIN_BYTES = 16 * 1_048_576;
/** Numeric columns holding at least this many values in all are compared on several threads, */
const COMPARE_MIN_VALUES = 2_000_000;
/**
 * on machines with at least this many logical CPUs: measured on a 2-vCPU machine, two comparison
 * threads cost ~70% more CPU time than one (sorting is memory-bound; the vCPUs share a core) and
 * finished no sooner, while reading the two files on two threads still saved a third of the time.
 */
const COMPARE_MIN_CPUS = 4;

/** The URL of a worker entry module of `check` (e.g. "read-worker.js"). */
export function workerUrl(fileName: string): URL {
  return new URL(`./${fileName}`, import.meta.url);
}

function threadsAllowed(): "off" | "always" | "auto" {
  const setting = process.env.DRIFTWATCH_CHECK_THREADS;
  if (setting === "off" || setting === "always") return setting;
  return "auto";
}

function entryExists(fileName: string): boolean {
  return import.meta.url.endsWith(".js") && existsSync(fileURLToPath(workerUrl(fileName)));
}

export function readInParallel(totalBytes: number): boolean {
  const allowed = threadsAllowed();
  if (allowed === "off" || !entryExists("read-worker.js")) return false;
  return allowed === "always" || totalBytes >= READ_MIN_BYTES;
}

export function compareInParallel(numericColumns: number, totalValues: number): boolean {
  const allowed = threadsAllowed();
  if (allowed === "off" || numericColumns < 2 || !entryExists("compare-worker.js")) return false;
  if (allowed === "always") return true;
  return totalValues >= COMPARE_MIN_VALUES && availableParallelism() >= COMPARE_MIN_CPUS;
}

/**
 * Performance estimation runs on its own thread, beside the column comparison, for files together
 * at least READ_MIN_BYTES big on a machine with two or more logical CPUs.
 */
export function estimateInParallel(totalBytes: number): boolean {
  const allowed = threadsAllowed();
  if (allowed === "off" || !entryExists("performance/estimate-worker.js")) return false;
  if (allowed === "always") return true;
  return totalBytes >= READ_MIN_BYTES && availableParallelism() >= 2;
}
