// Every PromQL expression of the bundled dashboards parses (promtool check rules, with the
// expressions as recording rules) and returns series from the real Prometheus of the local stack
// scraping a real driftwatch /metrics endpoint: the service's registry with the ingest, alert,
// monitor and API metrics registered by their real definitions, served by the real metrics server on a random port
// and registered as a file_sd target.
import { waitFor } from "../../support/clock.js";
import { stackEnv } from "../../support/stack.js";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { createAlertMetrics } from "../../../alerts/metrics.js";
import { apiMetrics } from "../../../src/api/api-metrics.js";
import { HealthGauges } from "../../../src/monitor/index.js";
import { MonitorMetrics } from "../../../src/monitor/monitor-metrics.js";
import { IngestMetrics } from "../../../src/ingest/ingest-metrics.js";
import { createMetricsRegistry } from "../../../src/metrics/index.js";
import { startMetricsServer, type MetricsServer } from "../../../src/service/metrics-listener.js";
import { registerPrometheusTarget, type PrometheusTarget } from "../../../src/stack/index.js";
import {
  PROMETHEUS_TYPE,
  expandPrometheusBuiltins,
  interpolateVariables,
  loadDashboards,
  queryPanels,
  type Dashboard,
  type Variable,
} from "../../unit/dashboards/grafana.js";

const run = promisify(execFile);

type WindowEvaluation = Parameters<MonitorMetrics["record"]>[0];

/**
 * One evaluated window as the monitor hands it to its metrics: the fields `record` reads (model,
 * rows, duration, drift rows and share, performance rows), the rest of the evaluation left out.
 */
function evaluatedWindow(model: string): WindowEvaluation {
  const evaluation = {
    summary: { model, modelVersion: "1", windowStart: 0, windowEnd: 3_600_000, rows: 500 },
    durationSeconds: 0.3,
    drift: {
      results: [
        {
          kind: "drift",
          feature: "income",
          metric: "wasserstein_normed",
          value: 0.2,
          judgement: { role: "deciding", threshold: 0.1, drifted: true },
        },
        {
          kind: "drift",
          feature: "income",
          metric: "psi",
          value: 0.3,
          judgement: { role: "report", threshold: 0.2, drifted: true },
        },
        {
          kind: "drift",
          feature: "region",
          metric: "js",
          value: 0.02,
          judgement: { role: "deciding", threshold: 0.1, drifted: false },
        },
        { kind: "drift_share", metric: "drift_share", value: 0.5, threshold: 0.5, drifted: true },
      ],
      driftShare: 0.5,
    },
    performance: {
      results: [
        {
          kind: "performance",
          metric: "accuracy",
          value: 0.8,
          referenceValue: 0.9,
          nLabelled: 500,
          pValue: null,
          degraded: true,
        },
      ],
    },
  };
  return evaluation as unknown as WindowEvaluation;
}

const prometheusUrl = stackEnv("DRIFTWATCH_PROMETHEUS_URL");
const RATE_INTERVAL = "1m";

interface PrometheusExpression {
  readonly where: string;
  readonly expr: string;
}

function prometheusExpressions(
  dashboard: Dashboard,
  values: Readonly<Record<string, string>>,
): PrometheusExpression[] {
  return queryPanels(dashboard)
    .filter((panel) => panel.datasource?.type === PROMETHEUS_TYPE)
    .flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        where: `${dashboard.uid}/${panel.id}/${target.refId} "${panel.title}"`,
        expr: expandPrometheusBuiltins(
          interpolateVariables(target.expr ?? "", dashboard.templating.list, values, "prometheus"),
          RATE_INTERVAL,
        ),
      })),
    );
}

interface QueryResult {
  status: string;
  error?: string;
  data?: { resultType: string; result: unknown[] };
}

async function instantQuery(expr: string): Promise<QueryResult> {
  const response = await fetch(`${prometheusUrl}/api/v1/query`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ query: expr }),
  });
  return (await response.json()) as QueryResult;
}

const dashboards = loadDashboards()
  .map((entry) => entry.dashboard)
  .filter((dashboard) =>
    queryPanels(dashboard).some((panel) => panel.datasource?.type === PROMETHEUS_TYPE),
  );

let server: MetricsServer | undefined;
let target: PrometheusTarget | undefined;
let instance = "";

beforeAll(async () => {
  const registry = createMetricsRegistry();
  const ingest = new IngestMetrics(registry);
  createAlertMetrics(registry, () => ({ firing: 1 }));
  // What the API reports after serving a request.
  const api = apiMetrics(registry);
  api.requests.inc({ route: "/api/v1/models", method: "GET", status: "2xx" });
  api.duration.observe({ route: "/api/v1/models", method: "GET" }, 0.004);
  new MonitorMetrics(registry).record(evaluatedWindow("credit-risk"), 50, true, Date.now());
  // What a running ingester reports once it owns a partition and has consumed something. (The
  // counters' per-table and per-reason series are not created at zero by `.labels()` alone, so
  // without traffic those panels show "No data" rather than 0.)
  ingest.eventsConsumed.inc({ topic: "driftwatch.predictions" }, 5);
  ingest.rowsInserted.inc({ table: "predictions" }, 4);
  ingest.duplicatesDropped.inc({ table: "predictions" });
  ingest.deadLettered.inc({ reason: "invalid_json" });
  ingest.writeFailures.inc({ target: "predictions", kind: "outage" });
  // What the evaluator reports about driftwatch itself on every tick.
  const health = new HealthGauges(registry);
  health.set("evaluation_age_seconds", "credit-risk", 42);
  health.set("evaluation_age_limit_seconds", "credit-risk", 7_200);
  health.set("evaluation_failures", "credit-risk", 0);
  health.set("ingest_lag_seconds", "_driftwatch", 3);
  health.set("dead_letter_rate", "_driftwatch", 0.001);
  health.set("notification_failures", "_driftwatch", 0);
  ingest.consumerLag.set({ topic: "driftwatch.predictions", partition: "0" }, 3);
  ingest.batchDuration.observe(0.02);
  server = await startMetricsServer({ registry, host: "127.0.0.1", port: 0 });
  instance = `127.0.0.1:${server.port}`;
  target = registerPrometheusTarget(`dashboards-${process.pid}-${server.port}`, instance);
  // rate() needs two samples inside its range.
  await waitFor(
    "two scrapes of the test endpoint",
    async () => {
      const result = await instantQuery(
        `count_over_time(driftwatch_process_start_time_seconds{instance="${instance}"}[1m])`,
      );
      const sample = result.data?.result[0] as { value: [number, string] } | undefined;
      return sample !== undefined && Number(sample.value[1]) >= 2;
    },
    Boolean,
    60_000,
    500,
  );
}, 90_000);

afterAll(async () => {
  target?.unregister();
  await server?.close();
});

describe("Prometheus dashboard queries", () => {
  it("has a dashboard with Prometheus panels", () => {
    expect(dashboards.length).toBeGreaterThan(0);
  });

  for (const dashboard of dashboards) {
    const variables: Variable[] = [...dashboard.templating.list];

    it(`${dashboard.uid}: every expression parses with promtool`, async () => {
      const expressions = prometheusExpressions(
        dashboard,
        Object.fromEntries(variables.map((variable) => [variable.name, "$__all"])),
      );
      const dir = mkdtempSync(join(tmpdir(), "dw-dashboard-rules-"));
      try {
        const rules = {
          groups: [
            {
              name: "dashboard_expressions",
              rules: expressions.map((expression, index) => ({
                record: `dashboard_check:expression_${index}`,
                expr: expression.expr,
              })),
            },
          ],
        };
        const file = join(dir, "rules.yml");
        writeFileSync(file, stringify(rules));
        const result = await run("promtool", ["check", "rules", file]).catch(
          (error: { stdout?: string; stderr?: string }) => {
            throw new Error(`promtool rejected an expression:\n${error.stdout}${error.stderr}`);
          },
        );
        expect(result.stdout).toContain(`${expressions.length} rules found`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it(`${dashboard.uid}: its variables resolve and every expression returns series from driftwatch`, async () => {
      for (const variable of variables) {
        const query = typeof variable.query === "string" ? variable.query : variable.query?.query;
        const labelValues = /^label_values\((\w+),\s*(\w+)\)$/.exec(query ?? "");
        expect(labelValues, `variable ${variable.name} is a label_values() query`).not.toBeNull();
        const [, metric, label] = labelValues!;
        const response = await fetch(
          `${prometheusUrl}/api/v1/label/${label}/values?${new URLSearchParams({ "match[]": metric! })}`,
        );
        const body = (await response.json()) as { data: string[] };
        expect(body.data, `variable ${variable.name}`).toContain(instance);
      }
      const expressions = prometheusExpressions(dashboard, { instance });
      for (const expression of expressions) {
        const result = await instantQuery(expression.expr);
        expect(result.status, `${expression.where}: ${result.error ?? ""}`).toBe("success");
        expect(
          result.data?.result.length ?? 0,
          `${expression.where} returns series: ${expression.expr}`,
        ).toBeGreaterThan(0);
      }
    });
  }
});
