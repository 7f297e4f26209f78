// Public surface of the monitoring engine: the factory the monitor role, the API and the CLI
// use, the operations contract, and the input error the API maps to 400.
export {
  createMonitor,
  createMonitorOperations,
  type Monitor,
  type MonitorOptions,
} from "./monitor.js";
export { NO_SINK, type EvaluationSink } from "./evaluation-sink.js";
export { MonitorInputError } from "./reference-store.js";
export { MONITOR_METRIC_NAMES } from "./monitor-metrics.js";
export { HealthGauges, type HealthGauge } from "./self-health.js";
export { DATASET_FEATURE } from "./drift-evaluation.js";
export { PREDICTION_FEATURE } from "./row-source.js";
export { parseDuration } from "./model-settings.js";
export type {
  Actor,
  EvaluationSummary,
  ModelState,
  ModelStatus,
  ModelSummary,
  MonitorOperations,
  ReferenceInfo,
  ReferenceSpec,
} from "./operations.js";
export {
  datasetFormatOf,
  parseDataset,
  readDatasetFile,
  type DatasetFormat,
  type DatasetRow,
} from "./dataset-file.js";
