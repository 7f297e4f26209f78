// Where a notification's "Grafana dashboard" link lands: the panel of the bundled dashboards that
// explains the alerts (a feature's metric over time, the worst-features table, drift share, a
// performance metric against its reference, an estimate beside the realized value, a
// service-health panel), with model, feature and
// metric variables and the window (plus as much again before it) as the time range.
import { DASHBOARDS, panelLink } from "../../dashboards/links.js";
import {
  DRIFT_SHARE_METRIC,
  HEALTH_METRIC,
  LABEL_COVERAGE_METRIC,
  realizedMetricOf,
} from "../../detectors/index.js";
import type { AlertState } from "../model/alert.js";
import type { Notification, RenderSettings } from "../model/notification.js";
import { allAlerts, distinctLabel, notificationWindow } from "./summary.js";

function timeRange(alerts: readonly AlertState[]): { from?: number; to?: number } {
  const { start, end } = notificationWindow(alerts);
  if (start === undefined || end === undefined) return {};
  // Show the window with as much again before it, for context.
  const span = Math.max(end - start, 60_000);
  return { from: Math.floor(start - span), to: Math.ceil(end) };
}

function healthPanel(metric: string | undefined) {
  if (metric === HEALTH_METRIC.ingestLag) return "ingestLag" as const;
  if (metric === HEALTH_METRIC.deadLetterRate) return "deadLetterRate" as const;
  if (metric === HEALTH_METRIC.evaluationAge) return "evaluationAge" as const;
  if (
    metric === HEALTH_METRIC.evaluationFailures ||
    metric === HEALTH_METRIC.notificationFailures
  ) {
    return "failures" as const;
  }
  if (metric?.includes("lag")) return "consumerLag" as const;
  if (metric?.includes("dead_letter")) return "deadLetters" as const;
  if (metric?.includes("evaluation")) return "evaluationDuration" as const;
  return "ingestRate" as const;
}

/**
 * The link for a set of alerts (one notification, or one alert of a webhook payload); undefined
 * without a Grafana URL. A custom `grafanaDashboardUid` gets a plain dashboard link with $model.
 */
export function alertsDashboardLink(
  settings: RenderSettings,
  alerts: readonly AlertState[],
): string | undefined {
  const grafanaUrl = settings.grafanaUrl;
  const model = distinctLabel(alerts, "model")[0];
  if (grafanaUrl === undefined || model === undefined) return undefined;
  const range = timeRange(alerts);
  const base = grafanaUrl.replace(/\/+$/, "");
  if (settings.grafanaDashboardUid !== DASHBOARDS.model.uid) {
    const query = new URLSearchParams({ "var-model": model });
    if (range.from !== undefined) query.set("from", String(range.from));
    if (range.to !== undefined) query.set("to", String(range.to));
    return `${base}/d/${encodeURIComponent(settings.grafanaDashboardUid)}?${query.toString()}`;
  }
  const kinds = distinctLabel(alerts, "kind");
  const metrics = distinctLabel(alerts, "metric");
  const features = distinctLabel(alerts, "feature");
  const metric = metrics.length === 1 ? metrics[0] : undefined;
  const kind = kinds.length === 1 ? kinds[0] : undefined;
  if (kind === "performance" || kind === "performance_decay") {
    return panelLink({
      grafanaUrl: base,
      dashboard: "performance",
      panel: "metricVsReference",
      variables: metric !== undefined ? { model, metric } : { model },
      ...range,
    });
  }
  if (kind === "performance_estimated") {
    const estimated = metric !== undefined ? realizedMetricOf(metric) : undefined;
    return panelLink({
      grafanaUrl: base,
      dashboard: "performance",
      panel: "estimatedVsRealized",
      variables: estimated !== undefined ? { model, estimated } : { model },
      ...range,
    });
  }
  if (kind === "health") {
    return panelLink({
      grafanaUrl: base,
      dashboard: "service",
      panel: healthPanel(metric),
      ...range,
    });
  }
  if (kind === "volume" || kind === LABEL_COVERAGE_METRIC) {
    const panel = kind === "volume" ? "traffic" : "labelCoverage";
    return panelLink({ grafanaUrl: base, dashboard: "fleet", panel, ...range });
  }
  if (kind === DRIFT_SHARE_METRIC) {
    return panelLink({
      grafanaUrl: base,
      dashboard: "model",
      panel: "driftShare",
      variables: { model },
      ...range,
    });
  }
  if (features.length === 1 && metric !== undefined) {
    return panelLink({
      grafanaUrl: base,
      dashboard: "model",
      panel: "featureMetric",
      variables: { model, feature: features[0]!, metric },
      ...range,
    });
  }
  // Several features (or metrics): the worst-features table of the model.
  return panelLink({
    grafanaUrl: base,
    dashboard: "model",
    panel: "worstFeatures",
    variables: { model },
    ...range,
  });
}

/** Dashboard link of a notification (its firing and resolved alerts). */
export function notificationDashboard(
  notification: Notification,
  settings: RenderSettings,
): string | undefined {
  return alertsDashboardLink(settings, allAlerts(notification));
}
