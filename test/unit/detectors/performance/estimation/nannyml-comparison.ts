// Runs the estimator on a NannyML fixture case, chunk by chunk as NannyML chunked it, and pairs
// each chunk's estimate with NannyML's estimate and the realized value.

import type {
  Estimator,
  PerformanceEstimate,
} from "../../../../../detectors/performance/estimation/index.js";
import { fitEstimator } from "../../../../../detectors/performance/estimation/index.js";
import type { MetricName, NannymlCase } from "./fixtures.js";
import { METRICS, unscale } from "./fixtures.js";

export interface ChunkComparison {
  ours: PerformanceEstimate;
  nannyml: Record<MetricName, number>;
  realized: Record<MetricName, number>;
}

export interface CaseComparison {
  estimator: Estimator;
  chunks: ChunkComparison[];
  /** Mean absolute error against the realized value per metric. */
  meanAbsoluteError: Record<MetricName, { ours: number; nannyml: number }>;
}

export function compareWithNannyml(fixtureCase: NannymlCase): CaseComparison {
  const scale = fixtureCase.score_scale;
  let estimator: Estimator;
  let estimateRows: (from: number, to: number) => PerformanceEstimate;
  if (fixtureCase.task === "binary") {
    const { reference, analysis } = fixtureCase;
    const binary = fitEstimator(
      {
        task: "binary",
        scores: unscale(reference.scores, scale),
        predictions: reference.predictions,
        labels: reference.labels,
      },
      { chunkSize: fixtureCase.chunk_size },
    );
    const scores = unscale(analysis.scores, scale);
    estimator = binary;
    estimateRows = (from, to) =>
      binary.estimate({
        scores: scores.subarray(from, to),
        predictions: analysis.predictions.slice(from, to),
        labels: analysis.labels.slice(from, to),
      });
  } else {
    const { reference, analysis, classes } = fixtureCase;
    const indices = classes.map((_, c) => c);
    const multiclass = fitEstimator(
      {
        task: "multiclass",
        classes: indices,
        scoreColumns: classes.map((name) => unscale(reference.scores[name]!, scale)),
        predictions: reference.predictions,
        labels: reference.labels,
      },
      { chunkSize: fixtureCase.chunk_size },
    );
    const columns = classes.map((name) => unscale(analysis.scores[name]!, scale));
    estimator = multiclass;
    estimateRows = (from, to) =>
      multiclass.estimate({
        scoreColumns: columns.map((column) => column.subarray(from, to)),
        predictions: analysis.predictions.slice(from, to),
        labels: analysis.labels.slice(from, to),
      });
  }
  const chunks = fixtureCase.chunks.map((chunk) => {
    const nannyml = {} as Record<MetricName, number>;
    const realized = {} as Record<MetricName, number>;
    for (const metric of METRICS) {
      nannyml[metric] = chunk.metrics[metric].value;
      realized[metric] = chunk.metrics[metric].realized;
    }
    return { ours: estimateRows(chunk.from_row, chunk.to_row), nannyml, realized };
  });
  const meanAbsoluteError = {} as CaseComparison["meanAbsoluteError"];
  for (const metric of METRICS) {
    let ours = 0;
    let theirs = 0;
    for (const chunk of chunks) {
      ours += Math.abs(chunk.ours.estimated[metric].value! - chunk.realized[metric]);
      theirs += Math.abs(chunk.nannyml[metric] - chunk.realized[metric]);
    }
    meanAbsoluteError[metric] = { ours: ours / chunks.length, nannyml: theirs / chunks.length };
  }
  return { estimator, chunks, meanAbsoluteError };
}
