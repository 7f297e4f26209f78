// Small text helpers every template shares: numbers, times, {{placeholder}} expansion, the
// default one-line summary of an alert (dashboard links: dashboard-link.ts).
import type { AlertState } from "../model/alert.js";

/** 0.312345 → "0.3123", 52000.5 → "52000.5", NaN → "n/a". */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "n/a" : String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** Epoch ms → "2026-11-23 08:00:00 UTC". */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "n/a";
  return new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, " UTC");
}

/** Replace `{{ name }}` by `vars[name]`; unknown names are left as they are. */
export function expandPlaceholders(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (match, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? vars[name]! : match,
  );
}

/** The variables annotations may use: every label plus value, threshold and the window. */
export function templateVariables(
  labels: Readonly<Record<string, string>>,
  value: number,
  threshold: number,
  windowStart?: number,
  windowEnd?: number,
): Record<string, string> {
  return {
    feature: "",
    ...labels,
    value: formatValue(value),
    threshold: formatValue(threshold),
    window_start: formatTime(windowStart),
    window_end: formatTime(windowEnd),
  };
}

/** The alert's summary annotation, or a generated one. */
export function alertSummary(alert: AlertState): string {
  const summary = alert.annotations.summary;
  if (summary !== undefined && summary !== "") return summary;
  const labels = alert.labels;
  const subject =
    labels.feature !== undefined && labels.feature !== ""
      ? `${labels.metric} of feature "${labels.feature}"`
      : `${labels.metric}`;
  const threshold = Number.isFinite(alert.threshold)
    ? ` (threshold ${formatValue(alert.threshold)})`
    : "";
  return `${subject} on model ${labels.model} is ${formatValue(alert.value)}${threshold}`;
}
