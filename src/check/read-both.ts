// Reading the reference and the current file of `check`. Big files are read at the same time —
// the reference on a worker thread, the current on the main thread (threads.ts says when) — small
// ones one after the other (a worker costs more than it saves there). The result is the same.
// Only the current file is ever cut into chunks.
import { stat } from "node:fs/promises";
import type { ChunkSpec } from "./chunks/row-chunker.js";
import { type ColumnSelection, modeFor } from "./column-selection.js";
import type { ProgressReporter } from "./progress.js";
import { readColumns } from "./read-columns.js";
import { readColumnsInWorker } from "./read-in-worker.js";
import type { ReadOptions } from "./read-options.js";
import type { FileColumns } from "./read-plan.js";
import type { RowColumnRequest } from "./row-columns.js";
import { readInParallel } from "./threads.js";

/** The file's size, or null when it cannot be read (the sequential path then reports why). */
async function sizeOf(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

export interface BothFiles {
  reference: FileColumns;
  current: FileColumns;
}

export interface ReadBothOptions {
  options: ReadOptions;
  /** How the current file is cut into chunks, if it is. */
  chunks?: ChunkSpec;
  /** Columns both files keep row by row (scores, predictions, labels). */
  rowColumns?: readonly RowColumnRequest[];
}

export async function readBoth(
  referencePath: string,
  currentPath: string,
  selection: ColumnSelection,
  progress: ProgressReporter,
  { options, chunks, rowColumns = [] }: ReadBothOptions,
): Promise<BothFiles> {
  const onProgress = (label: string) => (bytesRead: number, totalBytes: number) =>
    progress.reading(label, bytesRead, totalBytes);
  const currentChunks = chunks === undefined ? {} : { chunks };
  const sizes = [await sizeOf(referencePath), await sizeOf(currentPath)];
  const parallel = sizes[0] !== null && sizes[1] !== null && readInParallel(sizes[0] + sizes[1]);
  if (!parallel) {
    const reference = await readColumns(referencePath, "reference", {
      modeFor: modeFor(selection),
      options,
      rowColumns,
      onProgress: onProgress("reference"),
    });
    // Columns the reference lacks are only named in the current file, never collected.
    const inReference = new Set(reference.columnNames);
    const only = (selection.only ?? reference.columnNames).filter((name) => inReference.has(name));
    const current = await readColumns(currentPath, "current", {
      modeFor: modeFor({ ...selection, only }),
      options,
      rowColumns,
      ...currentChunks,
      onProgress: onProgress("current"),
    });
    return { reference, current };
  }
  const referenceRead = readColumnsInWorker(
    { path: referencePath, label: "reference", selection, options, rowColumns },
    onProgress("reference"),
  );
  const abort = new AbortController();
  try {
    const [reference, current] = await Promise.all([
      referenceRead.result,
      readColumns(currentPath, "current", {
        modeFor: modeFor(selection),
        options,
        rowColumns,
        ...currentChunks,
        onProgress: onProgress("current"),
        signal: abort.signal,
      }),
    ]);
    return { reference, current };
  } catch (error) {
    referenceRead.cancel();
    abort.abort();
    throw error;
  }
}
