// Baselines of `npm run bench:ingest`, measured on the same machine and data: reading the topic raw
// with kcat, and inserting the same rows as one JSONEachRow file with clickhouse-client.
import { spawn } from "node:child_process";
import { createReadStream, openSync, closeSync } from "node:fs";

export interface TimedRun {
  readonly seconds: number;
}

/** Run a command with stdin from `inputFile` (or nothing) and stdout to /dev/null; time it. */
export function timeCommand(
  command: string,
  args: readonly string[],
  inputFile?: string,
): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const devNull = openSync("/dev/null", "w");
    const started = performance.now();
    const child = spawn(command, [...args], {
      stdio: [inputFile === undefined ? "ignore" : "pipe", devNull, "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    if (inputFile !== undefined) {
      // A command that fails stops reading: its exit (with its stderr) reports it, not EPIPE.
      child.stdin!.on("error", () => undefined);
      createReadStream(inputFile).pipe(child.stdin!);
    }
    child.on("error", reject);
    child.on("exit", (code) => {
      closeSync(devNull);
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolve({ seconds });
      else
        reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${stderr.slice(-2_000)}`));
    });
  });
}

/** kcat reading every partition of `topic` from the beginning to the end, output discarded. */
export function kcatRead(brokers: string, topic: string): Promise<TimedRun> {
  return timeCommand("kcat", ["-C", "-e", "-q", "-o", "beginning", "-b", brokers, "-t", topic]);
}

/**
 * Rows per block clickhouse-client inserts: its default (1,048,576) makes 18.16 run the
 * materialized views on a million rows at once, beyond its 3.73 GiB per-query memory limit with
 * the hourly feature histograms (migration 10); 100,000 stays below it, is what driftwatch's own
 * HTTP inserts use (src/store/http-engine.ts) and is still twice the ingester's batch.
 */
export const BASELINE_INSERT_BLOCK_ROWS = 100_000;

/** clickhouse-client running `insertStatement` (… FORMAT JSONEachRow) with `file` on stdin. */
export function clickhouseClientInsert(
  host: string,
  port: number,
  insertStatement: string,
  file: string,
): Promise<TimedRun> {
  return timeCommand(
    "clickhouse-client",
    [
      "--host",
      host,
      "--port",
      String(port),
      `--max_insert_block_size=${BASELINE_INSERT_BLOCK_ROWS}`,
      // The server would otherwise squash them back into million-row blocks before the views.
      `--min_insert_block_size_rows=${BASELINE_INSERT_BLOCK_ROWS}`,
      "--query",
      insertStatement,
    ],
    file,
  );
}
