// Every ClickHouse query of the bundled dashboards (panel queries and variable queries), with
// Grafana's variable interpolation and the grafana-clickhouse-datasource macros expanded as the
// plugin expands them, runs on current ClickHouse (chdb) over a small data set loaded directly
// into the migrated tables, and returns the columns the panel is built for.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  createChdbEngine,
  qualifiedName,
  raw,
  type SqlEngine,
} from "../../../src/store/index.js";
import {
  CLICKHOUSE_TYPE,
  expandClickHouseMacros,
  interpolateVariables,
  loadDashboards,
  queryPanels,
  type Dashboard,
  type QueryTimeRange,
  type Variable,
  type VariableValue,
} from "../../unit/dashboards/grafana.js";
import { loadDashboardData, TEST_DATA } from "./clickhouse-data.js";

/** The columns each query returns, by `<dashboard uid>/<panel id>/<refId>`. */
const EXPECTED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  "driftwatch-fleet/1/A": ["models"],
  "driftwatch-fleet/2/A": ["events"],
  "driftwatch-fleet/3/A": ["firing"],
  "driftwatch-fleet/4/A": ["dead_letters"],
  "driftwatch-fleet/5/A": [
    "model",
    "latest_version",
    "versions",
    "last_event",
    "events",
    "label_coverage",
  ],
  "driftwatch-fleet/6/A": ["time", "model", "drift_share"],
  "driftwatch-fleet/7/A": ["time", "model", "events"],
  "driftwatch-fleet/8/A": ["time", "model", "label_coverage"],
  "driftwatch-fleet/9/A": [
    "fired_at",
    "model",
    "rule",
    "severity",
    "feature",
    "metric",
    "value",
    "threshold",
    "message",
  ],
  "driftwatch-fleet/10/A": [
    "sent_at",
    "model",
    "rule",
    "receiver",
    "integration",
    "kind",
    "status",
    "attempt",
    "reason",
    "response_code",
    "last_error",
  ],
  "driftwatch-fleet/11/A": ["requested_at", "model", "source", "status", "reason", "detail"],
  "driftwatch-model/1/A": ["time", "drift_share", "drifted_features"],
  "driftwatch-model/2/A": [
    "feature",
    "drifted_now",
    "windows_drifted",
    "windows",
    "latest_metrics",
    "latest_window_end",
  ],
  "driftwatch-model/3/A": ["time", "series", "v"],
  "driftwatch-model/4/A": [
    "window_start",
    "window_end",
    "model_version",
    "metric",
    "value",
    "threshold",
    "drifted",
  ],
  "driftwatch-model/5/A": ["current"],
  "driftwatch-model/5/B": ["preceding"],
  "driftwatch-model/6/A": ["category", "current", "preceding"],
  "driftwatch-model/7/A": [
    "fired_at",
    "rule",
    "severity",
    "feature",
    "metric",
    "value",
    "threshold",
    "message",
  ],
  "driftwatch-performance/1/A": ["accuracy_change"],
  "driftwatch-performance/2/A": ["labelled_events", "events"],
  "driftwatch-performance/3/A": ["label_coverage"],
  "driftwatch-performance/4/A": ["time", "series", "v"],
  "driftwatch-performance/5/A": ["time", "model_version", "labelled_rows"],
  "driftwatch-performance/6/A": ["time", "events", "labelled"],
  "driftwatch-performance/8/A": ["time", "series", "v"],
  "driftwatch-performance/7/A": [
    "metric",
    "latest_version",
    "latest_window_end",
    "current",
    "reference",
    "change",
    "significance_p",
    "labelled_rows",
  ],
};

/**
 * Queries that legitimately return no rows for some variable values: the numeric histogram for a
 * categorical feature and the category chart for a numeric one.
 */
const EMPTY_FOR_FEATURE_KIND: Readonly<Record<string, "categorical" | "numeric">> = {
  "driftwatch-model/5/A": "categorical",
  "driftwatch-model/5/B": "categorical",
  "driftwatch-model/6/A": "numeric",
};

let engine: SqlEngine;
const database = `dw_test_dash_${Math.random().toString(16).slice(2, 10)}`;
const range: QueryTimeRange = {
  from: TEST_DATA.rangeFrom,
  to: TEST_DATA.rangeTo,
  intervalMs: 3_600_000,
};

beforeAll(async () => {
  engine = await createChdbEngine();
  await applyMigrations(engine, database);
  await loadDashboardData(engine, database);
});

afterAll(async () => {
  await engine?.close();
});

function variableQuery(variable: Variable): string {
  return typeof variable.query === "string" ? variable.query : (variable.query?.query ?? "");
}

async function runQuery(
  dashboard: Dashboard,
  text: string,
  values: Readonly<Record<string, VariableValue>>,
): Promise<Record<string, unknown>[]> {
  const interpolated = interpolateVariables(text, dashboard.templating.list, values, "clickhouse");
  const expanded = expandClickHouseMacros(interpolated, range);
  return engine.query<Record<string, unknown>>(raw(expanded));
}

/**
 * Every combination of values of the dashboard's ClickHouse query variables, each variable's
 * values taken from running its own query (as Grafana does) with the earlier variables filled.
 */
async function variableCombinations(
  dashboard: Dashboard,
): Promise<Record<string, VariableValue>[]> {
  let combinations: Record<string, VariableValue>[] = [{}];
  for (const variable of dashboard.templating.list) {
    if (variable.type === "constant") {
      combinations = combinations.map((values) => ({ ...values, [variable.name]: database }));
      continue;
    }
    expect(variable.type, `variable ${variable.name}`).toBe("query");
    expect(variable.datasource?.type).toBe(CLICKHOUSE_TYPE);
    const next: Record<string, VariableValue>[] = [];
    for (const values of combinations) {
      const rows = await runQuery(dashboard, variableQuery(variable), values);
      const options = rows.map((row) => String(Object.values(row)[0]));
      expect(options.length, `variable ${variable.name} has values`).toBeGreaterThan(0);
      for (const option of options) next.push({ ...values, [variable.name]: option });
    }
    combinations = next;
  }
  return combinations;
}

const clickHouseDashboards = loadDashboards().filter(({ dashboard }) =>
  queryPanels(dashboard).some((panel) => panel.datasource?.type === CLICKHOUSE_TYPE),
);

describe("ClickHouse dashboard queries on chdb", () => {
  it("covers every ClickHouse panel query with an expectation", () => {
    const keys = clickHouseDashboards.flatMap(({ dashboard }) =>
      queryPanels(dashboard).flatMap((panel) =>
        (panel.targets ?? []).map((target) => `${dashboard.uid}/${panel.id}/${target.refId}`),
      ),
    );
    expect(keys.sort()).toEqual(Object.keys(EXPECTED_COLUMNS).sort());
  });

  for (const { dashboard } of clickHouseDashboards) {
    it(`${dashboard.uid}: every variable and panel query runs and returns its columns`, async () => {
      const combinations = await variableCombinations(dashboard);
      for (const values of combinations) {
        for (const panel of queryPanels(dashboard)) {
          for (const target of panel.targets ?? []) {
            const key = `${dashboard.uid}/${panel.id}/${target.refId}`;
            const where = `${key} "${panel.title}" with ${JSON.stringify(values)}`;
            const rows = await runQuery(dashboard, target.rawSql ?? "", values).catch(
              (error: Error) => {
                throw new Error(`${where}: ${error.message}`);
              },
            );
            const feature = typeof values.feature === "string" ? values.feature : undefined;
            const emptyKind = EMPTY_FOR_FEATURE_KIND[key];
            if (emptyKind !== undefined && feature !== undefined) {
              if (TEST_DATA.featureKinds[feature] === emptyKind) {
                expect(rows, where).toEqual([]);
                continue;
              }
            }
            expect(rows.length, `${where} returns rows`).toBeGreaterThan(0);
            expect(Object.keys(rows[0]!), where).toEqual(EXPECTED_COLUMNS[key]);
            if (target.format === 0) {
              const times = rows.map((row) => String(row.time));
              expect([...times].sort(), `${where} is ordered by time`).toEqual(times);
            }
          }
        }
      }
    });
  }

  it("computes drift share and label coverage, collapsing superseded results and retrain claims", async () => {
    const fleet = clickHouseDashboards.find(
      ({ dashboard }) => dashboard.uid === "driftwatch-fleet",
    )!.dashboard;
    const query = (id: number): string =>
      fleet.panels.find((panel) => panel.id === id)?.targets?.[0]?.rawSql ?? "";
    const shares = await runQuery(fleet, query(6), { database });
    expect(shares.map((row) => [row.model, Number(row.drift_share)])).toEqual(
      TEST_DATA.expectedDriftShares,
    );
    const models = await runQuery(fleet, query(5), { database });
    expect(
      models.map((row) => [row.model, Number(row.events), Number(row.label_coverage)]),
    ).toEqual(TEST_DATA.expectedModels);
    // The model dashboard counts a feature as drifted by its verdict, not by PSI's flag.
    const modelDashboard = clickHouseDashboards.find(
      ({ dashboard }) => dashboard.uid === "driftwatch-model",
    )!.dashboard;
    const modelQuery = modelDashboard.panels.find((panel) => panel.id === 1)?.targets?.[0]?.rawSql;
    for (const [model, windows] of Object.entries(TEST_DATA.expectedWindows)) {
      const rows = await runQuery(modelDashboard, modelQuery ?? "", { database, model });
      expect(
        rows.map((row) => [Number(row.drift_share), Number(row.drifted_features)]),
        model,
      ).toEqual(windows);
    }
    const retrains = await runQuery(fleet, query(11), { database });
    expect(retrains.map((row) => [row.model, row.status]).sort()).toEqual(
      TEST_DATA.expectedModels.map(([model]) => [model, "delivered"]),
    );
  });
});

// A guard that the tables the data loader fills are the ones the dashboards read.
it("loads test rows into every table the dashboards read", async () => {
  for (const table of [
    "predictions",
    "labels",
    "dead_letters",
    "drift_results",
    "performance_results",
    "alerts",
    "notifications",
    "retrain_requests",
  ]) {
    const rows = await engine.query<{ n: number }>(
      raw(`SELECT count() AS n FROM ${qualifiedName(database, table)}`),
    );
    expect(Number(rows[0]?.n), table).toBeGreaterThan(0);
  }
});
