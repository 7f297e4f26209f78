// Prometheus metrics of the HTTP API: requests by route pattern (bounded: never the raw URL),
// method and status class, their duration, and audit writes that failed after a change.
import { Counter, Histogram, type Registry } from "prom-client";

export interface ApiMetrics {
  readonly requests: Counter<"route" | "method" | "status">;
  readonly duration: Histogram<"route" | "method">;
  readonly auditFailures: Counter;
}

/** The API's metrics in `registry`, created once per registry (apps built again reuse them). */
export function apiMetrics(registry: Registry): ApiMetrics {
  const existing = registry.getSingleMetric("driftwatch_api_requests_total");
  if (existing !== undefined) {
    return {
      requests: existing as ApiMetrics["requests"],
      duration: registry.getSingleMetric(
        "driftwatch_api_request_duration_seconds",
      ) as ApiMetrics["duration"],
      auditFailures: registry.getSingleMetric(
        "driftwatch_api_audit_failures_total",
      ) as ApiMetrics["auditFailures"],
    };
  }
  const registers = [registry];
  return {
    requests: new Counter({
      name: "driftwatch_api_requests_total",
      help: "HTTP API requests by route pattern, method and status code class (2xx, 4xx, 5xx)",
      labelNames: ["route", "method", "status"],
      registers,
    }),
    duration: new Histogram({
      name: "driftwatch_api_request_duration_seconds",
      help: "HTTP API request duration by route pattern and method",
      labelNames: ["route", "method"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    auditFailures: new Counter({
      name: "driftwatch_api_audit_failures_total",
      help: "changes made through the API whose audit_log write failed",
      registers,
    }),
  };
}
