// Public surface of the metrics module: the Prometheus registry every part registers its metrics in.
export { createMetricsRegistry, type Registry } from "./registry.js";
