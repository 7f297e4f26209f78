// The chunks of `check`: every chunk of the current file compared with the whole reference, column
// by column, with the same detectors and drift rule as the whole file. Each chunk's values are a
// view of the current file's values (no copy); comparing sorts each view in place, so the chunks
// are compared before the whole file is.
import { prepareNumericReference, type PreparedNumericReference } from "../../detectors/index.js";
import type { ChunkInfo, ChunkLayout, ChunkSpec } from "./chunks/row-chunker.js";
import { formatUtc } from "./chunks/timestamp.js";
import type { CollectedColumn } from "./column-collector.js";
import { type ColumnSample, compareColumn } from "./compare-column.js";
import { type ComparedColumn, judgeColumns } from "./judge-columns.js";
import type { ChunkReport, ColumnReport } from "./report.js";

export interface ChunkedPair {
  name: string;
  kind: "numeric" | "categorical";
  reference: CollectedColumn;
  /** Read with the chunk layout: has `chunks`. */
  current: CollectedColumn;
}

/** The chunks in the order they are reported: by row (--chunk-size) or by time (--chunk-by). */
export function orderedChunks(layout: ChunkLayout): ChunkInfo[] {
  return [...layout.chunks].sort((a, b) => (a.start ?? a.id) - (b.start ?? b.id));
}

function chunkSample(column: CollectedColumn, chunk: ChunkInfo): ColumnSample {
  const part = column.chunks?.[chunk.id];
  if (part === undefined) {
    return {
      values: new Float64Array(0),
      counts: new Map(),
      nonMissing: 0,
      missing: chunk.rows,
      nonFinite: 0,
    };
  }
  return { ...part, missing: chunk.rows - part.nonMissing };
}

/**
 * Each numeric reference sorted and binned once for all chunks (null when it cannot be compared
 * at all, or preparing fails: each chunk then reports why, as before).
 */
export function preparedReferences(
  pairs: readonly ChunkedPair[],
): Map<string, PreparedNumericReference> {
  const prepared = new Map<string, PreparedNumericReference>();
  for (const pair of pairs) {
    if (pair.kind !== "numeric" || pair.reference.nonFinite > 0) continue;
    if (pair.reference.nonMissing === 0) continue;
    try {
      prepared.set(pair.name, prepareNumericReference(pair.reference.values));
    } catch {
      // compareColumn reports the same failure per chunk.
    }
  }
  return prepared;
}

/**
 * @param fixed entries of the columns not compared (only in one file, all missing): the same in
 *   every chunk; `order` lists every reported column in report order.
 * @param prepared the numeric references prepared once (preparedReferences), when the caller
 *   reuses them for the whole file too.
 */
export function compareChunks(
  pairs: readonly ChunkedPair[],
  layout: ChunkLayout,
  spec: ChunkSpec,
  order: readonly string[],
  fixed: Readonly<Record<string, ColumnReport>>,
  onChunk?: (index: number, total: number) => void,
  prepared: ReadonlyMap<string, PreparedNumericReference> = preparedReferences(pairs),
): ChunkReport[] {
  const chunks = orderedChunks(layout);
  return chunks.map((chunk, index) => {
    onChunk?.(index, chunks.length);
    const columns = Object.create(null) as Record<string, ColumnReport>;
    for (const name of order) {
      columns[name] = fixed[name] ?? { computable: false, reason: "not compared" };
    }
    const compared: ComparedColumn[] = pairs.map((pair) => {
      const current = chunkSample(pair.current, chunk);
      return {
        name: pair.name,
        kind: pair.kind,
        comparison: compareColumn(pair.kind, pair.reference, current, prepared.get(pair.name)),
        reference: pair.reference,
        current,
      };
    });
    const judged = judgeColumns(columns, compared);
    const report: ChunkReport = {
      index,
      from_row: chunk.fromRow,
      to_row: chunk.toRow,
      start: chunk.start === null ? null : formatUtc(chunk.start),
      end: chunk.end === null ? null : formatUtc(chunk.end),
      rows: chunk.rows,
      columns: judged.columns,
      drift_share: judged.drift_share,
      drifted: judged.drifted,
    };
    if (spec.kind === "size" && chunk.rows < spec.size) report.partial = true;
    return report;
  });
}
