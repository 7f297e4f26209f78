// The Prometheus registry of one driftwatch process: default process metrics (RSS, CPU, event
// loop lag) plus whatever each role registers. The HTTP API mounts the same registry later.
import { Registry, collectDefaultMetrics } from "prom-client";

export type { Registry };

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "driftwatch_" });
  return registry;
}
