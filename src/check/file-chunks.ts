// Opening an input file of `check` and streaming its bytes: clear errors for a missing file, a
// directory or no permission, and a byte count for progress reporting.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { CheckInputError } from "./errors.js";

const CHUNK_BYTES = 1 << 20;

export interface FileChunks {
  readonly size: number;
  /** The file's bytes in order, in chunks of about 1 MiB (until `signal` aborts, if given). */
  chunks(signal?: AbortSignal): AsyncIterable<Buffer>;
}

function describe(error: unknown, label: string, path: string): CheckInputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return new CheckInputError(`${label} file not found: ${path}`);
    case "EACCES":
    case "EPERM":
      return new CheckInputError(`${label} file is not readable (permission denied): ${path}`);
    case "EISDIR":
      return new CheckInputError(`${label} file is a directory, not a file: ${path}`);
    default:
      return new CheckInputError(
        `${label} file cannot be read: ${path}: ${error instanceof Error ? error.message : String(error)}`,
      );
  }
}

/** Checks that `path` is a readable regular file and returns a way to stream it. */
export async function openFileChunks(path: string, label: string): Promise<FileChunks> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    size = info.size;
  } catch (error) {
    throw describe(error, label, path);
  }
  return {
    size,
    async *chunks(signal?: AbortSignal): AsyncIterable<Buffer> {
      const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, signal });
      try {
        for await (const chunk of stream) yield chunk as Buffer;
      } catch (error) {
        throw describe(error, label, path);
      } finally {
        stream.destroy();
      }
    },
  };
}
