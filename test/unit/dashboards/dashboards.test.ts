// The bundled Grafana dashboards are well-formed: uids, schema version, a layout without overlaps
// inside 24 columns, a datasource and a query on every panel, datasources that the provisioning
// defines, and every variable a query or title uses defined by the dashboard.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  CLICKHOUSE_TYPE,
  DASHBOARD_DIR,
  PROMETHEUS_TYPE,
  interpolateVariables,
  loadDashboards,
  queryPanels,
  type Dashboard,
  type GridPos,
  type VariableValue,
} from "./grafana.js";

const dashboards = loadDashboards();

interface ProvisionedDatasource {
  readonly uid: string;
  readonly type: string;
}

function provisionedDatasources(): ProvisionedDatasource[] {
  const file = join(DASHBOARD_DIR, "provisioning/datasources/driftwatch.yaml");
  const document = parse(readFileSync(file, "utf8")) as { datasources: ProvisionedDatasource[] };
  return document.datasources;
}

function overlaps(a: GridPos, b: GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** A placeholder value for every variable, to find references to undefined ones. */
function placeholderValues(dashboard: Dashboard): Record<string, VariableValue> {
  return Object.fromEntries(dashboard.templating.list.map((variable) => [variable.name, "x"]));
}

describe("bundled dashboards", () => {
  it("are the four dashboards with distinct uids", () => {
    expect(dashboards.map((entry) => entry.dashboard.uid).sort()).toEqual([
      "driftwatch-fleet",
      "driftwatch-model",
      "driftwatch-performance",
      "driftwatch-service",
    ]);
  });

  for (const { file, dashboard } of dashboards) {
    describe(file, () => {
      it("has a uid, a title and a current schemaVersion", () => {
        expect(dashboard.uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
        expect(dashboard.title.trim()).not.toBe("");
        // Grafana 11.x writes 39–40, 12.x 41+; older versions migrate the dashboard on load.
        expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
        expect(dashboard.panels.length).toBeGreaterThan(0);
      });

      it("has unique panel ids and a layout inside 24 columns without overlaps", () => {
        const ids = dashboard.panels.map((panel) => panel.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const panel of dashboard.panels) {
          const { x, y, w, h } = panel.gridPos;
          expect(Number.isInteger(x) && Number.isInteger(y), `panel ${panel.id}`).toBe(true);
          expect(x >= 0 && y >= 0 && w >= 1 && h >= 1, `panel ${panel.id} size`).toBe(true);
          expect(x + w, `panel ${panel.id} "${panel.title}" right edge`).toBeLessThanOrEqual(24);
        }
        for (const [index, a] of dashboard.panels.entries()) {
          for (const b of dashboard.panels.slice(index + 1)) {
            expect(overlaps(a.gridPos, b.gridPos), `panels ${a.id} and ${b.id} overlap`).toBe(
              false,
            );
          }
        }
      });

      it("gives every panel a provisioned datasource and at least one query", () => {
        const provisioned = provisionedDatasources();
        for (const panel of queryPanels(dashboard)) {
          const where = `panel ${panel.id} "${panel.title}"`;
          expect(panel.datasource, where).toBeDefined();
          expect(
            provisioned.some(
              (source) =>
                source.uid === panel.datasource?.uid && source.type === panel.datasource.type,
            ),
            `${where} datasource ${JSON.stringify(panel.datasource)}`,
          ).toBe(true);
          expect(panel.targets?.length ?? 0, where).toBeGreaterThan(0);
          for (const target of panel.targets ?? []) {
            expect(target.datasource ?? panel.datasource, where).toEqual(panel.datasource);
            const query = panel.datasource?.type === CLICKHOUSE_TYPE ? target.rawSql : target.expr;
            expect(query?.trim() ?? "", `${where} ${target.refId}`).not.toBe("");
          }
          const refIds = (panel.targets ?? []).map((target) => target.refId);
          expect(new Set(refIds).size, `${where} refIds`).toBe(refIds.length);
        }
      });

      it("reads ClickHouse only through the fixed table names (on a cluster: the Distributed tables)", () => {
        const queries = [
          ...queryPanels(dashboard).flatMap((panel) =>
            (panel.targets ?? []).map((target) => [
              `panel ${panel.id} ${target.refId}`,
              target.rawSql,
            ]),
          ),
          ...dashboard.templating.list.map((variable) => [
            `variable ${variable.name}`,
            typeof variable.query === "string" ? variable.query : variable.query?.query,
          ]),
        ];
        for (const [where, query] of queries) {
          // `<name>_local` holds one shard's rows only (docs/storage.md, "On a cluster").
          expect(query ?? "", String(where)).not.toMatch(/_local\b/);
          // A subquery over a Distributed table inside a query over another one must be GLOBAL
          // (Grafana's connection has ClickHouse's default distributed_product_mode = deny).
          expect(query ?? "", String(where)).not.toMatch(/(?<!GLOBAL )\bIN \(\s*SELECT/i);
          expect(query ?? "", String(where)).not.toMatch(
            /(?<!GLOBAL |ARRAY )\b(ANY |ALL )?(LEFT |INNER )?JOIN \(/i,
          );
        }
      });

      it("uses only variables it defines, and variables only on their own datasource", () => {
        const values = placeholderValues(dashboard);
        const variables = dashboard.templating.list;
        for (const panel of queryPanels(dashboard)) {
          const dialect = panel.datasource?.type === PROMETHEUS_TYPE ? "prometheus" : "clickhouse";
          for (const target of panel.targets ?? []) {
            const query = target.rawSql ?? target.expr ?? "";
            expect(() => interpolateVariables(query, variables, values, dialect)).not.toThrow();
          }
          expect(() => interpolateVariables(panel.title, variables, values, dialect)).not.toThrow();
          if (panel.repeat !== undefined) {
            const repeated = variables.find((variable) => variable.name === panel.repeat);
            expect(repeated?.multi, `panel ${panel.id} repeats over a multi-value variable`).toBe(
              true,
            );
          }
        }
        for (const [index, variable] of variables.entries()) {
          expect(variable.name).toMatch(/^\w+$/);
          if (variable.type !== "query") continue;
          expect(variable.datasource, `variable ${variable.name}`).toBeDefined();
          const query = typeof variable.query === "string" ? variable.query : variable.query?.query;
          expect(query?.trim() ?? "", `variable ${variable.name}`).not.toBe("");
          // A variable's query may only use the variables defined before it (Grafana resolves in order).
          const earlier = variables.slice(0, index);
          const dialect =
            variable.datasource?.type === PROMETHEUS_TYPE ? "prometheus" : "clickhouse";
          expect(() => interpolateVariables(query ?? "", earlier, values, dialect)).not.toThrow();
        }
      });
    });
  }
});

describe("dashboard provisioning", () => {
  it("defines the ClickHouse and Prometheus datasources by the uids the dashboards use", () => {
    const provisioned = provisionedDatasources();
    expect(provisioned.map((source) => [source.uid, source.type]).sort()).toEqual([
      ["driftwatch-clickhouse", CLICKHOUSE_TYPE],
      ["driftwatch-prometheus", PROMETHEUS_TYPE],
    ]);
  });

  it("loads every dashboard file from one folder", () => {
    const file = join(DASHBOARD_DIR, "provisioning/dashboards/driftwatch.yaml");
    const document = parse(readFileSync(file, "utf8")) as {
      apiVersion: number;
      providers: { type: string; options: { path: string } }[];
    };
    expect(document.apiVersion).toBe(1);
    expect(document.providers).toHaveLength(1);
    expect(document.providers[0]?.type).toBe("file");
    expect(document.providers[0]?.options.path).toMatch(/^\/[\w/.-]+$/);
  });
});
