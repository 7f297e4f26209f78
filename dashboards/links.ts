// Deep links into the bundled Grafana dashboards (dashboards/json/*.json): the dashboards' uids,
// the ids of the panels messages link to, and a builder for a URL that opens one panel with the
// dashboard variables and time range set. Slack, email and webhook messages use it so a click lands
// on the panel that explains the alert. The unit tests check every uid, panel id and variable here
// against the JSON files.

/** Uids and linkable panel ids of the bundled dashboards (stable: links in old messages use them). */
export const DASHBOARDS = {
  fleet: {
    uid: "driftwatch-fleet",
    panels: {
      models: 5,
      driftShare: 6,
      traffic: 7,
      labelCoverage: 8,
      firingAlerts: 9,
      notifications: 10,
      retrainRequests: 11,
    },
    variables: [],
  },
  model: {
    uid: "driftwatch-model",
    panels: {
      driftShare: 1,
      worstFeatures: 2,
      featureMetric: 3,
      featureWindows: 4,
      numericDistribution: 5,
      categoryShares: 6,
      firingAlerts: 7,
    },
    variables: ["model", "feature", "metric"],
  },
  performance: {
    uid: "driftwatch-performance",
    panels: {
      accuracyChange: 1,
      metricVsReference: 4,
      labelledRows: 5,
      latestWindow: 7,
      estimatedVsRealized: 8,
    },
    variables: ["model", "metric", "estimated"],
  },
  service: {
    uid: "driftwatch-service",
    panels: {
      ingestRate: 2,
      consumerLag: 4,
      deadLetters: 5,
      evaluationDuration: 9,
      notificationFailures: 15,
      apiRequests: 24,
      evaluationAge: 28,
      ingestLag: 29,
      deadLetterRate: 30,
      failures: 31,
    },
    variables: ["instance"],
  },
} as const;

export type DashboardName = keyof typeof DASHBOARDS;

type PanelName<D extends DashboardName> = keyof (typeof DASHBOARDS)[D]["panels"];

/** A time for Grafana's `from` / `to`: epoch milliseconds or a relative expression (`now-6h`). */
export type GrafanaTime = number | string;

export interface PanelLinkOptions<D extends DashboardName> {
  /** Grafana's base URL, e.g. `http://localhost:3000` (a sub-path such as `/grafana` is kept). */
  readonly grafanaUrl: string;
  readonly dashboard: D;
  /** Open this panel alone (Grafana's view mode); the whole dashboard when absent. */
  readonly panel?: PanelName<D>;
  /** Dashboard variables by name (without `var-`), e.g. { model: "credit-risk" }. */
  readonly variables?: Readonly<Record<string, string | readonly string[]>>;
  readonly from?: GrafanaTime;
  readonly to?: GrafanaTime;
}

/**
 * The URL of a dashboard (or one of its panels) with variables and time range set:
 *
 *   panelLink({ grafanaUrl: "http://localhost:3000", dashboard: "model", panel: "featureMetric",
 *     variables: { model: "credit-risk", feature: "income", metric: "psi" },
 *     from: windowStart - span, to: windowEnd })
 *   // http://localhost:3000/d/driftwatch-model?orgId=1&var-model=credit-risk&…&viewPanel=3
 *
 * Throws when a variable is not one the dashboard defines (a typo would silently show "All").
 */
export function panelLink<D extends DashboardName>(options: PanelLinkOptions<D>): string {
  const dashboard = DASHBOARDS[options.dashboard];
  const base = options.grafanaUrl.replace(/\/+$/, "");
  if (!/^https?:\/\//.test(base)) {
    throw new Error(`grafanaUrl must start with http:// or https://, got ${JSON.stringify(base)}`);
  }
  const query = new URLSearchParams({ orgId: "1" });
  const known: readonly string[] = dashboard.variables;
  for (const [name, value] of Object.entries(options.variables ?? {})) {
    if (!known.includes(name)) {
      throw new Error(
        `dashboard ${dashboard.uid} has no variable ${JSON.stringify(name)} (it has: ${known.join(", ") || "none"})`,
      );
    }
    for (const item of typeof value === "string" ? [value] : value)
      query.append(`var-${name}`, item);
  }
  if (options.from !== undefined) query.set("from", formatTime(options.from, "from"));
  if (options.to !== undefined) query.set("to", formatTime(options.to, "to"));
  if (options.panel !== undefined) {
    const panels = dashboard.panels as Readonly<Record<PropertyKey, number>>;
    query.set("viewPanel", String(panels[options.panel]));
  }
  return `${base}/d/${dashboard.uid}?${query.toString()}`;
}

function formatTime(time: GrafanaTime, field: "from" | "to"): string {
  if (typeof time === "number") {
    if (!Number.isFinite(time)) throw new Error(`${field} must be a finite epoch-ms time`);
    return String(field === "from" ? Math.floor(time) : Math.ceil(time));
  }
  if (time.trim() === "") throw new Error(`${field} must not be empty`);
  return time;
}
