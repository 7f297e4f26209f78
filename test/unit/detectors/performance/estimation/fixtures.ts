// Loading the estimation fixtures written by scripts/fixtures/estimation.py.

import { readFileSync } from "node:fs";

export function loadEstimationFixture<T>(name: string): T {
  const url = new URL(`../../../../fixtures/performance/estimation/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as T;
}

export type MetricName = "roc_auc" | "accuracy" | "precision" | "recall" | "f1";
export const METRICS: readonly MetricName[] = ["roc_auc", "accuracy", "precision", "recall", "f1"];

export interface NannymlChunkMetric {
  value: number;
  sampling_error: number;
  lower: number | null;
  upper: number | null;
  threshold_lower: number | null;
  threshold_upper: number | null;
  alert: boolean;
  realized: number;
}

export interface NannymlChunk {
  from_row: number;
  to_row: number;
  metrics: Record<MetricName, NannymlChunkMetric>;
}

interface BinaryRowsFixture {
  scores: number[];
  predictions: number[];
  labels: number[];
}

interface MulticlassRowsFixture {
  scores: Record<string, number[]>;
  predictions: number[];
  labels: number[];
}

export type NannymlCase =
  | {
      name: string;
      task: "binary";
      score_scale: number;
      chunk_size: number;
      reference: BinaryRowsFixture;
      analysis: BinaryRowsFixture;
      chunks: NannymlChunk[];
    }
  | {
      name: string;
      task: "multiclass";
      score_scale: number;
      chunk_size: number;
      classes: string[];
      reference: MulticlassRowsFixture;
      analysis: MulticlassRowsFixture;
      chunks: NannymlChunk[];
    };

/** Scores stored as integers over `scale` back to the doubles Python had (k / scale is exact). */
export function unscale(values: readonly number[], scale: number): Float64Array {
  return Float64Array.from(values, (value) => value / scale);
}
