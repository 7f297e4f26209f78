// Public surface of the metrics module: the registry, the ingest metrics and the small HTTP server.
export { createMetricsRegistry, type Registry } from "./registry.js";
export { IngestMetrics } from "./ingest-metrics.js";
export {
  startMetricsServer,
  type MetricsServer,
  type MetricsServerOptions,
  type ReadinessCheck,
} from "./http-server.js";
