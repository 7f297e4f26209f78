// The reference's variability of each realized metric over chunks of a given size: its mean and
// standard deviation (ddof 1) over consecutive full chunks of the reference, from which the alert
// thresholds mean ∓ k·σ come. When the reference holds fewer than two chunks of that size, it is
// cut into ten equal chunks instead and σ is scaled to the asked size by √(sub-chunk / size)
// (sampling error shrinks with √rows); `basis` says which was done.

import type { EstimatedMetricName, MetricValues } from "./metric-types.js";
import { ESTIMATED_METRICS } from "./metric-types.js";

/** Chunks the reference is cut into when it has fewer than two of the asked size. */
export const FALLBACK_REFERENCE_CHUNKS = 10;

export interface MetricSpread {
  mean: number;
  sigma: number;
  /** Reference chunks where the metric was defined. */
  chunks: number;
}

export interface ReferenceSpread {
  /** The chunk size the spread describes. */
  size: number;
  /** "same_size": chunks of `size` rows; "scaled": sub-chunks of `measuredSize` rows, σ scaled. */
  basis: "same_size" | "scaled";
  measuredSize: number;
  chunks: number;
  /** Null where fewer than two reference chunks define the metric. */
  metrics: Record<EstimatedMetricName, MetricSpread | null>;
}

/** Realized metrics of the first `count` consecutive chunks of `size` reference rows. */
export type RealizedReferenceChunks = (size: number, count: number) => MetricValues[];

export function referenceSpread(
  referenceRows: number,
  size: number,
  realizedChunks: RealizedReferenceChunks,
): ReferenceSpread {
  const sameSize = Math.floor(referenceRows / size) >= 2;
  const measuredSize = sameSize ? size : Math.floor(referenceRows / FALLBACK_REFERENCE_CHUNKS);
  const chunks = measuredSize >= 1 ? Math.floor(referenceRows / measuredSize) : 0;
  const realized = chunks >= 2 ? realizedChunks(measuredSize, chunks) : [];
  const scale = sameSize ? 1 : Math.sqrt(measuredSize / size);
  const metrics = {} as Record<EstimatedMetricName, MetricSpread | null>;
  for (const metric of ESTIMATED_METRICS) {
    const values = realized.map((chunk) => chunk[metric]).filter((v): v is number => v !== null);
    if (values.length < 2) {
      metrics[metric] = null;
      continue;
    }
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
    metrics[metric] = {
      mean,
      sigma: Math.sqrt(squares / (values.length - 1)) * scale,
      chunks: values.length,
    };
  }
  return { size, basis: sameSize ? "same_size" : "scaled", measuredSize, chunks, metrics };
}

/** Thresholds mean ∓ sigmas·σ within [0, 1], or nulls when the spread is unknown. */
export function thresholdsOf(
  spread: MetricSpread | null,
  sigmas: number,
): { lower: number | null; upper: number | null } {
  if (spread === null) return { lower: null, upper: null };
  return {
    lower: Math.max(0, spread.mean - sigmas * spread.sigma),
    upper: Math.min(1, spread.mean + sigmas * spread.sigma),
  };
}

/**
 * Split rows listed in ascending score order into per-chunk lists (chunk = ⌊row / size⌋, only
 * the first `count` chunks), each still in ascending score order. O(rows).
 */
export function chunkOrders(order: Uint32Array, size: number, count: number): Uint32Array[] {
  const buffer = new Uint32Array(size * count);
  const fill = Array.from({ length: count }, (_, chunk) => chunk * size);
  for (const row of order) {
    const chunk = Math.floor(row / size);
    if (chunk < count) buffer[fill[chunk]!++] = row;
  }
  return Array.from({ length: count }, (_, chunk) =>
    buffer.subarray(chunk * size, (chunk + 1) * size),
  );
}
