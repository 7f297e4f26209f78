// Accuracy: the share of rows whose predicted class equals the label (sklearn's
// accuracy_score), a proportion of all labelled rows in the window.

import type { ClassCounts } from "./confusion-counts.js";
import { correctRows } from "./confusion-counts.js";
import type { MetricResult } from "./metric-result.js";
import { computableMetric, notComputable } from "./metric-result.js";

export function accuracyFromCounts(counts: ClassCounts): MetricResult {
  if (counts.rows === 0) return notComputable("no labelled rows", 0);
  const correct = correctRows(counts);
  return computableMetric(correct / counts.rows, counts.rows, {
    kind: "proportion",
    successes: correct,
    trials: counts.rows,
  });
}
