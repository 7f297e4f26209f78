// The monitor's Prometheus series: the fixed names dashboards query, registered once even when
// two monitors share a registry (tests and embedders may build several; `serve` builds one).
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { createMetricsRegistry } from "../../../src/metrics/index.js";
import { createMonitor, MONITOR_METRIC_NAMES } from "../../../src/monitor/index.js";
import { createHttpEngine } from "../../../src/store/index.js";
import { createLogger } from "../../../src/util/logger.js";

describe("monitor metrics", () => {
  it("registers the dashboards' series once per registry, shared by every monitor", async () => {
    const registry = createMetricsRegistry();
    const engine = createHttpEngine({ url: "http://127.0.0.1:9" });
    const options = {
      config: parseConfig("", { env: {} }),
      engine,
      registry,
      logger: createLogger("metrics-test", "silent"),
    };
    createMonitor(options);
    expect(() => createMonitor(options)).not.toThrow();
    const names = (await registry.getMetricsAsJSON()).map((metric) => metric.name);
    for (const name of MONITOR_METRIC_NAMES)
      expect(names.filter((n) => n === name)).toHaveLength(1);
    expect(MONITOR_METRIC_NAMES).toEqual([
      "driftwatch_drift_score",
      "driftwatch_feature_drifted",
      "driftwatch_drift_share",
      "driftwatch_performance_metric",
      "driftwatch_performance_estimated",
      "driftwatch_performance_estimate_alert",
      "driftwatch_window_rows",
      "driftwatch_evaluation_duration_seconds",
      "driftwatch_last_evaluation_timestamp_seconds",
      "driftwatch_evaluation_failures_total",
      "driftwatch_evaluator",
    ]);
    await engine.close();
  });
});
