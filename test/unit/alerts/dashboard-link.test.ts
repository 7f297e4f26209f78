import { describe, expect, it } from "vitest";
import type { AlertState } from "../../../alerts/model/alert.js";
import { alertsDashboardLink } from "../../../alerts/templates/dashboard-link.js";

const GRAFANA = { grafanaUrl: "http://grafana:3000/", grafanaDashboardUid: "driftwatch-model" };
const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 23, 7);

function alert(labels: Record<string, string>): AlertState {
  return {
    rule: "r",
    fingerprint: JSON.stringify(labels),
    labels: { alertname: "r", model: "credit-risk", ...labels },
    state: "firing",
    breachingWindows: 1,
    clearWindows: 0,
    windowStart: START,
    windowEnd: START + HOUR,
    value: 0.3,
    threshold: 0.2,
    annotations: {},
    features: [],
    updatedAt: START + HOUR,
  };
}

function parse(link: string | undefined): URL {
  expect(link).toBeDefined();
  return new URL(link!);
}

describe("alertsDashboardLink", () => {
  it("opens the feature's metric panel with model, feature and metric set over the window", () => {
    const url = parse(
      alertsDashboardLink(GRAFANA, [alert({ kind: "drift", feature: "income", metric: "psi" })]),
    );
    expect(url.pathname).toBe("/d/driftwatch-model");
    expect(url.searchParams.get("viewPanel")).toBe("3");
    expect(url.searchParams.get("var-model")).toBe("credit-risk");
    expect(url.searchParams.get("var-feature")).toBe("income");
    expect(url.searchParams.get("var-metric")).toBe("psi");
    expect(url.searchParams.get("from")).toBe(String(START - HOUR));
    expect(url.searchParams.get("to")).toBe(String(START + HOUR));
  });

  it("opens the worst-features table when several features drifted", () => {
    const url = parse(
      alertsDashboardLink(GRAFANA, [
        alert({ kind: "drift", feature: "income", metric: "psi" }),
        alert({ kind: "drift", feature: "region", metric: "psi" }),
      ]),
    );
    expect(url.searchParams.get("viewPanel")).toBe("2");
    expect(url.searchParams.has("var-feature")).toBe(false);
  });

  it("sends performance alerts to the performance dashboard and drift share to its panel", () => {
    const performance = parse(
      alertsDashboardLink(GRAFANA, [alert({ kind: "performance_decay", metric: "accuracy" })]),
    );
    expect(performance.pathname).toBe("/d/driftwatch-performance");
    expect(performance.searchParams.get("var-metric")).toBe("accuracy");
    expect(performance.searchParams.get("viewPanel")).toBe("4");
    const share = parse(
      alertsDashboardLink(GRAFANA, [alert({ kind: "drift_share", metric: "drift_share" })]),
    );
    expect(share.pathname).toBe("/d/driftwatch-model");
    expect(share.searchParams.get("viewPanel")).toBe("1");
    const health = parse(
      alertsDashboardLink(GRAFANA, [alert({ kind: "health", metric: "ingest_lag_seconds" })]),
    );
    expect(health.pathname).toBe("/d/driftwatch-service");
    // The health row's ingest-lag panel (seconds, read from Kafka by the evaluator).
    expect(health.searchParams.get("viewPanel")).toBe("29");
    const stalled = parse(
      alertsDashboardLink(GRAFANA, [alert({ kind: "health", metric: "evaluation_age_seconds" })]),
    );
    expect(stalled.searchParams.get("viewPanel")).toBe("28");
  });

  it("links a custom dashboard without panel ids, and nothing without a Grafana URL", () => {
    const custom = parse(
      alertsDashboardLink({ grafanaUrl: "http://g", grafanaDashboardUid: "my-board" }, [
        alert({ kind: "drift", feature: "income", metric: "psi" }),
      ]),
    );
    expect(custom.pathname).toBe("/d/my-board");
    expect(custom.searchParams.get("var-model")).toBe("credit-risk");
    expect(custom.searchParams.has("viewPanel")).toBe(false);
    expect(
      alertsDashboardLink({ grafanaDashboardUid: "driftwatch-model" }, [alert({ kind: "drift" })]),
    ).toBeUndefined();
  });
});
