// Panel deep links (dashboards/links.ts) point at dashboards, panels and variables that exist in
// the bundled JSON, and carry the variables and time range a notification needs.
import { describe, expect, it } from "vitest";
import { DASHBOARDS, panelLink, type DashboardName } from "../../../dashboards/links.js";
import { dashboardByUid } from "./grafana.js";

describe("dashboard links", () => {
  for (const name of Object.keys(DASHBOARDS) as DashboardName[]) {
    it(`${name}: its uid, panel ids and variables exist in the dashboard JSON`, () => {
      const entry = DASHBOARDS[name];
      const dashboard = dashboardByUid(entry.uid);
      const panelIds = new Set(dashboard.panels.map((panel) => panel.id));
      for (const [panel, id] of Object.entries(entry.panels)) {
        expect(panelIds.has(id), `${name}.${panel} = ${id}`).toBe(true);
        const target = dashboard.panels.find((candidate) => candidate.id === id);
        expect(target?.type, `${name}.${panel} is a query panel`).not.toBe("row");
      }
      expect([...entry.variables].sort()).toEqual(
        dashboard.templating.list
          .filter((variable) => variable.type !== "constant")
          .map((variable) => variable.name)
          .sort(),
      );
    });
  }

  it("opens one panel with variables and the time range", () => {
    const link = panelLink({
      grafanaUrl: "http://grafana.example:3000/grafana/",
      dashboard: "model",
      panel: "featureMetric",
      variables: { model: "credit-risk", feature: "income & tax", metric: "psi" },
      from: 1_700_000_000_000.4,
      to: 1_700_003_600_000.2,
    });
    const url = new URL(link);
    expect(url.origin + url.pathname).toBe(
      "http://grafana.example:3000/grafana/d/driftwatch-model",
    );
    expect(url.searchParams.get("viewPanel")).toBe(String(DASHBOARDS.model.panels.featureMetric));
    expect(url.searchParams.get("var-model")).toBe("credit-risk");
    expect(url.searchParams.get("var-feature")).toBe("income & tax");
    expect(url.searchParams.get("var-metric")).toBe("psi");
    expect(url.searchParams.get("from")).toBe("1700000000000");
    expect(url.searchParams.get("to")).toBe("1700003600001");
  });

  it("repeats multi-value variables and passes relative times through", () => {
    const url = new URL(
      panelLink({
        grafanaUrl: "https://grafana.example",
        dashboard: "service",
        variables: { instance: ["a:1", "b:2"] },
        from: "now-6h",
        to: "now",
      }),
    );
    expect(url.searchParams.getAll("var-instance")).toEqual(["a:1", "b:2"]);
    expect(url.searchParams.get("from")).toBe("now-6h");
    expect(url.searchParams.has("viewPanel")).toBe(false);
  });

  it("rejects variables the dashboard does not have and URLs without a scheme", () => {
    expect(() =>
      panelLink({ grafanaUrl: "http://g", dashboard: "fleet", variables: { model: "m" } }),
    ).toThrow(/driftwatch-fleet has no variable "model"/);
    expect(() => panelLink({ grafanaUrl: "grafana:3000", dashboard: "fleet" })).toThrow(
      /grafanaUrl/,
    );
  });
});
