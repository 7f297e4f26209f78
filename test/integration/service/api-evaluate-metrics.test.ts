// An evaluation asked for through the HTTP API of a `serve` process sets that process's drift
// series: /metrics shows the drift_results figures, and Prometheus, scraping the process as a
// registered file_sd target, answers a PromQL query with the same drift score.
import { exitWithin } from "../../support/cli.js";
import { waitFor } from "../../support/clock.js";
import {
  createServeTestEnv,
  killServeChildren,
  postEvents,
  scrapeSamples,
  type ServeTestEnv,
  startServe,
} from "../../support/serve.js";
import { stackEnv } from "../../support/stack.js";
import { TOKENS } from "../../support/tokens.js";
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { registerPrometheusTarget, type PrometheusTarget } from "../../../src/stack/index.js";
import { sql, tableRef } from "../../../src/store/index.js";

const HOUR_MS = 3_600_000;
/** The drift figures driftwatch_drift_score carries (docs/monitoring.md, "Results"). */
const DRIFT_SCORE_METRICS = new Set([
  "psi",
  "js",
  "ks_statistic",
  "ks_p_value",
  "wasserstein",
  "wasserstein_normed",
  "chi2_statistic",
  "chi2_p_value",
]);
const prometheusUrl = stackEnv("DRIFTWATCH_PROMETHEUS_URL");

let env: ServeTestEnv | undefined;
let target: PrometheusTarget | undefined;

afterEach(async () => {
  target?.unregister();
  target = undefined;
  await killServeChildren();
});

afterAll(async () => {
  await env?.cleanup();
});

/** Events of one hour: a numeric feature `x` (shifted by `shift`) and a categorical `region`. */
function events(model: string, prefix: string, from: number, count: number, shift: number) {
  return Array.from({ length: count }, (_, i) => ({
    event_id: `${prefix}-${i}`,
    model,
    model_version: "1",
    timestamp: from + Math.floor((i * HOUR_MS) / count),
    features: {
      x: ((i * 37) % count) / count + shift,
      region: ["EU", "US", "APAC"][(i * 7 + (shift > 0 ? i % 2 : 0)) % 3],
    },
    prediction: ((i * 13) % 100) / 100,
  }));
}

interface DriftRow {
  feature: string;
  metric: string;
  value: number;
}

function byKey(rows: readonly DriftRow[]): DriftRow[] {
  return [...rows].sort((a, b) =>
    `${a.feature}/${a.metric}`.localeCompare(`${b.feature}/${b.metric}`),
  );
}

/**
 * The same (feature, metric) figures with the same values. ClickHouse 18.16 parses inserted
 * floats to within an ulp (7.277526651183985e-9 is stored as 7.2775266511839845e-9), so a value
 * read back from drift_results may differ from the computed one in its last bit: compared to 1e-12
 * relative, far below any figure's meaning and far above that rounding.
 */
function expectSameFigures(actual: readonly DriftRow[], expected: readonly DriftRow[]): void {
  const key = (row: DriftRow) => `${row.feature}/${row.metric}`;
  expect(byKey(actual).map(key)).toEqual(byKey(expected).map(key));
  const wanted = new Map(expected.map((row) => [key(row), row.value]));
  for (const row of actual) {
    const value = wanted.get(key(row))!;
    expect(Math.abs(row.value - value), key(row)).toBeLessThanOrEqual(
      1e-12 * Math.max(Math.abs(value), Number.MIN_VALUE),
    );
  }
}

describe("evaluate through the API of serve", () => {
  it("sets the process's drift gauges, which Prometheus scrapes with the drift_results figures", async () => {
    env = await createServeTestEnv("svc_api_eval");
    const environment = env;
    // Not declared and without a reference set: the monitor role's scheduler leaves it alone, so
    // only the API's evaluation can set its series.
    const model = `svc-eval-${randomBytes(3).toString("hex")}`;
    const service = await startServe(env.writeConfig("alerts: { enabled: false }\n"));

    const windowStart = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 3 * HOUR_MS;
    const windowEnd = windowStart + HOUR_MS;
    // The default reference is the 7 days before the window: here the hour before it.
    await postEvents(service, [
      ...events(model, "ref", windowStart - HOUR_MS, 300, 0),
      ...events(model, "win", windowStart, 300, 0.25),
    ]);
    await waitFor(
      "the 600 events stored",
      async () => {
        const rows = await environment.engine.query<{ n: number }>(
          sql`SELECT uniqExact(event_id) AS n FROM ${tableRef(environment.database, "predictions")} WHERE model = ${model}`,
        );
        return Number(rows[0]?.n ?? 0);
      },
      (n) => n === 600,
      30_000,
    );
    const before = await scrapeSamples(service, "driftwatch_drift_score");
    expect(before.filter((sample) => sample.labels.model === model)).toEqual([]);

    const response = await fetch(`${service.url}/api/v1/models/${model}/evaluate`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKENS.admin}`, "content-type": "application/json" },
      body: JSON.stringify({ from: windowStart, to: windowEnd }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { evaluations: { rows: number }[] };
    expect(body.evaluations.map((evaluation) => evaluation.rows)).toEqual([300]);

    const stored = await env.engine.query<DriftRow>(
      sql`SELECT feature, metric, argMax(value, computed_at) AS value
  FROM ${tableRef(env.database, "drift_results")}
  WHERE model = ${model} AND model_version = '1' AND window_start = toDateTime(${windowStart / 1000})
  GROUP BY feature, metric ORDER BY feature, metric`,
    );
    const storedScores = stored
      .filter((row) => row.feature !== "_dataset" && DRIFT_SCORE_METRICS.has(row.metric))
      .map((row) => ({ feature: row.feature, metric: row.metric, value: Number(row.value) }))
      .filter((row) => Number.isFinite(row.value));
    // Both features and the prediction were compared (numeric tests for x, chi2 for region).
    expect(new Set(storedScores.map((row) => row.feature))).toEqual(
      new Set(["_prediction", "region", "x"]),
    );
    expect(storedScores.some((row) => row.feature === "x" && row.metric === "ks_statistic")).toBe(
      true,
    );

    const exported = (await scrapeSamples(service, "driftwatch_drift_score"))
      .filter((sample) => sample.labels.model === model)
      .map((sample) => ({
        feature: sample.labels.feature!,
        metric: sample.labels.metric!,
        value: sample.value,
      }));
    expectSameFigures(exported, storedScores);
    const share = stored.find((row) => row.feature === "_dataset" && row.metric === "drift_share");
    const shareGauge = (await scrapeSamples(service, "driftwatch_drift_share")).find(
      (sample) => sample.labels.model === model,
    );
    expectSameFigures(
      [{ feature: "_dataset", metric: "drift_share", value: shareGauge!.value }],
      [{ feature: "_dataset", metric: "drift_share", value: Number(share!.value) }],
    );

    // Prometheus scrapes the process once it is a file_sd target.
    const targetName = `svc-eval-${env.database.slice(-8)}`;
    target = registerPrometheusTarget(targetName, `127.0.0.1:${service.port}`);
    const xScores = storedScores.filter((row) => row.feature === "x");
    const query = `driftwatch_drift_score{model="${model}",feature="x",driftwatch_target="${targetName}"}`;
    const answered = await waitFor(
      "Prometheus to scrape the drift scores of x",
      async () => {
        const result = await fetch(
          `${prometheusUrl}/api/v1/query?${new URLSearchParams({ query })}`,
        );
        const parsed = (await result.json()) as {
          status: string;
          data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
        };
        expect(parsed.status).toBe("success");
        return parsed.data!.result;
      },
      (result) => result.length === xScores.length,
      60_000,
      500,
    );
    expectSameFigures(
      answered.map((series) => ({
        feature: series.metric.feature!,
        metric: series.metric.metric!,
        value: Number(series.value[1]),
      })),
      xScores,
    );
    target.unregister();
    target = undefined;

    // The process's one monitor stops with it: SIGTERM ends every role cleanly.
    service.process.kill("SIGTERM");
    expect(await exitWithin(service, 30_000)).toBe(0);
  }, 120_000);
});
