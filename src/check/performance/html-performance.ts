// The performance section of the `check --html` report (with --task), as inline SVG (no scripts,
// no external resources): the whole file's estimates in a table and, with chunks, each metric's
// estimate over the chunks with its sampling-error band (shaded), the reference's thresholds
// (dashed), alerts in red and the realized values as hollow diamonds.
import { formatFigure } from "../format-number.js";
import { escapeHtml } from "../html-chart.js";
import type { ChunkReport, PerformanceFigure, PerformanceReport } from "../report.js";

const PLOT = { width: 720, height: 200, left: 56, right: 12, top: 12, bottom: 28 };

function shown(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : formatFigure(value);
}

function describe(metric: string, estimated: PerformanceFigure, realized?: PerformanceFigure) {
  return (
    `${metric}: estimated ${shown(estimated.value)} [${shown(estimated.lower)}, ` +
    `${shown(estimated.upper)}], thresholds [${shown(estimated.threshold_lower)}, ` +
    `${shown(estimated.threshold_upper)}]${estimated.alert === true ? " — ALERT" : ""}` +
    (realized === undefined
      ? ""
      : `; realized ${shown(realized.value)}${realized.alert === true ? " — ALERT" : ""}`)
  );
}

function wholeFileTable(performance: PerformanceReport): string {
  const rows = Object.entries(performance.estimated).map(([metric, estimated]) => {
    const realized = performance.realized?.[metric];
    const alert = estimated.alert === true || realized?.alert === true;
    return (
      `<tr${alert ? ' class="alert"' : ""}><th>${escapeHtml(metric)}</th>` +
      `<td>${shown(estimated.value)}</td>` +
      `<td>[${shown(estimated.lower)}, ${shown(estimated.upper)}]</td>` +
      `<td>[${shown(estimated.threshold_lower)}, ${shown(estimated.threshold_upper)}]</td>` +
      `<td>${realized === undefined ? "–" : shown(realized.value)}</td>` +
      `<td>${alert ? "ALERT" : "no"}</td></tr>`
    );
  });
  return (
    `<table class="performance"><tr><th>metric</th><th>estimated</th><th>band</th>` +
    `<th>thresholds</th><th>realized</th><th>alert</th></tr>${rows.join("")}</table>`
  );
}

/** A path through the points that are defined (a gap where one is not). */
function polyline(points: readonly (readonly [number, number] | null)[]): string {
  let pen = "M";
  const parts: string[] = [];
  for (const point of points) {
    if (point === null) {
      pen = "M";
      continue;
    }
    parts.push(`${pen}${point[0].toFixed(1)},${point[1].toFixed(1)}`);
    pen = "L";
  }
  return parts.join(" ");
}

/** One metric's estimate over the chunks, with band, thresholds and realized values. */
export function metricOverChunks(metric: string, chunks: readonly ChunkReport[]): string | null {
  const figures = chunks.map((chunk) => ({
    index: chunk.index,
    estimated: chunk.performance?.estimated[metric],
    realized: chunk.performance?.realized?.[metric],
  }));
  if (figures.every((figure) => figure.estimated?.value == null)) return null;
  let low = 1;
  let high = 0;
  for (const { estimated, realized } of figures) {
    for (const value of [
      estimated?.value,
      estimated?.lower,
      estimated?.upper,
      estimated?.threshold_lower,
      estimated?.threshold_upper,
      realized?.value,
    ]) {
      if (value === null || value === undefined) continue;
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  }
  const pad = Math.max((high - low) * 0.08, 0.005);
  low = Math.max(0, low - pad);
  high = Math.min(1, high + pad);
  const plotWidth = PLOT.width - PLOT.left - PLOT.right;
  const plotHeight = PLOT.height - PLOT.top - PLOT.bottom;
  const x = (index: number): number =>
    PLOT.left + (chunks.length <= 1 ? plotWidth / 2 : (index / (chunks.length - 1)) * plotWidth);
  const y = (value: number): number =>
    PLOT.top + plotHeight * (1 - (value - low) / (high - low || 1));
  const at = (index: number, value: number | null | undefined): [number, number] | null =>
    value === null || value === undefined ? null : [x(index), y(value)];
  const upper = figures.map((f) => at(f.index, f.estimated?.upper));
  const lower = figures.map((f) => at(f.index, f.estimated?.lower));
  const band = [...upper, ...lower.reverse()].filter((p): p is [number, number] => p !== null);
  const parts = [
    `<svg class="chart" viewBox="0 0 ${PLOT.width} ${PLOT.height}" role="img" ` +
      `aria-label="${escapeHtml(`${metric}: estimate per chunk, its band and thresholds`)}">`,
    band.length < 3
      ? ""
      : `<polygon class="band" points="${band.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ")}"/>`,
    `<path class="threshold" d="${polyline(figures.map((f) => at(f.index, f.estimated?.threshold_upper)))}"/>`,
    `<path class="threshold" d="${polyline(figures.map((f) => at(f.index, f.estimated?.threshold_lower)))}"/>`,
    `<path class="line" d="${polyline(figures.map((f) => at(f.index, f.estimated?.value)))}"/>`,
    `<text class="tick" x="${PLOT.left - 6}" y="${PLOT.top + 8}" text-anchor="end">${formatFigure(high)}</text>`,
    `<text class="tick" x="${PLOT.left - 6}" y="${PLOT.top + plotHeight}" text-anchor="end">${formatFigure(low)}</text>`,
    `<text class="tick" x="${PLOT.left}" y="${PLOT.height - 8}">chunk 0</text>`,
    `<text class="tick" x="${PLOT.width - PLOT.right}" y="${PLOT.height - 8}" text-anchor="end">chunk ${chunks.length - 1} · ${escapeHtml(metric)}</text>`,
  ];
  for (const { index, estimated, realized } of figures) {
    if (estimated === undefined) continue;
    const point = at(index, estimated.value);
    const title = `<title>chunk ${index}: ${escapeHtml(describe(metric, estimated, realized))}</title>`;
    if (point !== null) {
      parts.push(
        `<circle class="${estimated.alert === true ? "drift" : "ok"}" cx="${point[0].toFixed(1)}" ` +
          `cy="${point[1].toFixed(1)}" r="3.5">${title}</circle>`,
      );
    }
    const real = at(index, realized?.value);
    if (real !== null) {
      const [rx, ry] = real;
      parts.push(
        `<path class="realized${realized?.alert === true ? " alert" : ""}" d="M${rx.toFixed(1)},${(ry - 5).toFixed(1)} ` +
          `l5,5 l-5,5 l-5,-5 z">${title}</path>`,
      );
    }
  }
  parts.push("</svg>");
  return parts.join("\n");
}

export function performanceSection(
  whole: PerformanceReport | undefined,
  chunks: readonly ChunkReport[] | undefined,
): string {
  const anyChunk = chunks?.some((chunk) => chunk.performance !== undefined) === true;
  if (whole === undefined && !anyChunk) return "";
  const alerts =
    [whole, ...(chunks ?? []).map((chunk) => chunk.performance)].filter(
      (performance) =>
        performance !== undefined &&
        [
          ...Object.values(performance.estimated),
          ...Object.values(performance.realized ?? {}),
        ].some((figure) => figure.alert === true),
    ).length > 0;
  const metrics = Object.keys(
    whole?.estimated ?? chunks?.find((chunk) => chunk.performance)?.performance?.estimated ?? {},
  );
  const charts = anyChunk
    ? metrics
        .map((metric) => metricOverChunks(metric, chunks!))
        .filter((chart): chart is string => chart !== null)
        .map((chart) => `<div>${chart}</div>`)
        .join("\n")
    : "";
  return (
    `<h2>Model performance ${alerts ? '<span class="verdict drift">alert</span>' : '<span class="verdict ok">no alert</span>'}</h2>` +
    `<p>Estimated from the model's scores (confidence-based, calibrated on the reference's ` +
    `labels). Band: the sampling error of the estimate (±3σ); thresholds: the reference's mean ` +
    `±3σ of the metric over chunks of the same size; an estimate outside them is an alert.` +
    `${whole?.labelled_rows ? ` Realized values from the labels of ${whole.labelled_rows} current rows.` : ""}</p>` +
    (whole === undefined ? "" : `<h3>Whole current file</h3>${wholeFileTable(whole)}`) +
    (charts === ""
      ? ""
      : `<h3>Over the chunks</h3><div class="legend meta">line: estimate (red point: alert); ` +
        `shaded: band; dashed: thresholds; diamond: realized</div>${charts}`)
  );
}

export const PERFORMANCE_STYLE = `
.chart path.threshold{fill:none}.chart .band{fill:#4c78a8;fill-opacity:.15;stroke:none}.chart path.realized{fill:#fff;stroke:#2a7a3b;stroke-width:1.5}
.chart path.realized.alert{stroke:#a4161a}table.performance tr.alert td{color:#a4161a;font-weight:600}
`;
