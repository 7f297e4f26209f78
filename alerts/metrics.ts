// Prometheus metrics of the alert engine (registered on the registry the service exposes on
// /metrics): notifications by integration and status, failures by integration and reason (every
// series created at zero), alert transitions, and alerts by state.
import { Counter, Gauge, type Registry } from "prom-client";
import { ALERT_STATES } from "./model/alert.js";
import { FAILURE_REASONS, type FailureReason, type IntegrationKind } from "./notifiers/types.js";

const INTEGRATIONS: readonly IntegrationKind[] = ["slack", "email", "webhook"];

export interface AlertMetrics {
  attempt(integration: IntegrationKind, outcome: "delivered" | FailureReason): void;
  transition(transition: string): void;
  /** Rows of an alert table ClickHouse refused for their content (isolated, not retried). */
  rowsRefused(table: "alerts" | "notifications", rows: number): void;
}

const METRIC_NAMES = [
  "driftwatch_notification_attempts_total",
  "driftwatch_notification_failures_total",
  "driftwatch_alert_transitions_total",
  "driftwatch_alerts",
  "driftwatch_alert_rows_refused_total",
];

/**
 * Register the engine's metrics on `registry`. A new engine in the same process (the evaluator
 * role regained) replaces the previous engine's series.
 */
export function createAlertMetrics(
  registry: Registry,
  alertsByState: () => Readonly<Record<string, number>>,
): AlertMetrics {
  for (const name of METRIC_NAMES) {
    if (registry.getSingleMetric(name) !== undefined) registry.removeSingleMetric(name);
  }
  const attempts = new Counter({
    name: "driftwatch_notification_attempts_total",
    help: "Notification delivery attempts by integration and status (delivered or failed)",
    labelNames: ["integration", "status"],
    registers: [registry],
  });
  const failures = new Counter({
    name: "driftwatch_notification_failures_total",
    help: "Failed notification delivery attempts by integration and reason",
    labelNames: ["integration", "reason"],
    registers: [registry],
  });
  const transitions = new Counter({
    name: "driftwatch_alert_transitions_total",
    help: "Alert state transitions (pending, firing, resolved, inactive)",
    labelNames: ["transition"],
    registers: [registry],
  });
  const refused = new Counter({
    name: "driftwatch_alert_rows_refused_total",
    help: "Rows of driftwatch.alerts or driftwatch.notifications ClickHouse refused for their content (logged, not retried)",
    labelNames: ["table"],
    registers: [registry],
  });
  for (const table of ["alerts", "notifications"]) refused.inc({ table }, 0);
  new Gauge({
    name: "driftwatch_alerts",
    help: "Alerts tracked by the engine, by state",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const counts = alertsByState();
      for (const state of ALERT_STATES) this.set({ state }, counts[state] ?? 0);
    },
  });
  for (const integration of INTEGRATIONS) {
    attempts.inc({ integration, status: "delivered" }, 0);
    attempts.inc({ integration, status: "failed" }, 0);
    for (const reason of FAILURE_REASONS) failures.inc({ integration, reason }, 0);
  }
  for (const transition of ["pending", "firing", "resolved", "inactive"])
    transitions.inc({ transition }, 0);
  return {
    attempt(integration, outcome) {
      if (outcome === "delivered") {
        attempts.inc({ integration, status: "delivered" });
      } else {
        attempts.inc({ integration, status: "failed" });
        failures.inc({ integration, reason: outcome });
      }
    },
    transition(transition) {
      transitions.inc({ transition });
    },
    rowsRefused(table, rows) {
      refused.inc({ table }, rows);
    },
  };
}
