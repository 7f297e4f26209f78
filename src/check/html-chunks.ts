// The chunk views of the `check --html` report, as inline SVG (no scripts, no external resources):
// a heatmap of columns × chunks (drifted, not drifted, not computable), and per column the rule's
// value over the chunks against its threshold. p-value tests are drawn as −log10(p), so that up
// always means more drift.
import { DRIFT_TEST } from "../../detectors/index.js";
import { formatFigure } from "./format-number.js";
import { escapeHtml } from "./html-chart.js";
import { testLabel } from "./render-table.js";
import type { ChunkReport, ColumnReport } from "./report.js";

/** Heatmap rows drawn at most (the most drifted columns first beyond that). */
export const MAX_HEATMAP_COLUMNS = 200;
const P_VALUE_TESTS = new Set<string>([DRIFT_TEST.ks, DRIFT_TEST.chi2]);
const CELL = 14;
const LABEL_WIDTH = 180;
const TOP = 28;

function chunkLabel(chunk: ChunkReport): string {
  if (chunk.start !== null) return `${chunk.start} – ${chunk.end ?? ""}`;
  return `rows ${chunk.from_row}–${chunk.to_row}${chunk.partial === true ? " (partial)" : ""}`;
}

function cellTitle(name: string, chunk: ChunkReport, column: ColumnReport | undefined): string {
  const where = `${name}, chunk ${chunk.index} (${chunkLabel(chunk)})`;
  if (column === undefined || !column.computable) {
    return `${where}: not computable${column === undefined ? "" : `: ${column.reason}`}`;
  }
  return (
    `${where}: ${testLabel(column.test)} ${formatFigure(column.value)} ` +
    `(threshold ${formatFigure(column.threshold)}) — ${column.drifted ? "drift" : "no drift"}`
  );
}

/** The columns the heatmap shows: all, or the ones drifting in most chunks. */
function heatmapColumns(names: readonly string[], chunks: readonly ChunkReport[]): string[] {
  if (names.length <= MAX_HEATMAP_COLUMNS) return [...names];
  const drifts = new Map<string, number>();
  for (const name of names) {
    let count = 0;
    for (const chunk of chunks) {
      const column = chunk.columns[name];
      if (column?.computable === true && column.drifted) count++;
    }
    drifts.set(name, count);
  }
  return [...names].sort((a, b) => drifts.get(b)! - drifts.get(a)!).slice(0, MAX_HEATMAP_COLUMNS);
}

export function chunkHeatmap(names: readonly string[], chunks: readonly ChunkReport[]): string {
  const shown = heatmapColumns(names, chunks);
  const width = LABEL_WIDTH + chunks.length * CELL + 10;
  const height = TOP + shown.length * CELL + 10;
  const parts = [
    `<svg class="heatmap" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
      `aria-label="drift per column and chunk">`,
  ];
  chunks.forEach((chunk, index) => {
    if (chunks.length <= 40 || index % Math.ceil(chunks.length / 40) === 0) {
      const x = LABEL_WIDTH + index * CELL + CELL / 2;
      parts.push(`<text class="tick" x="${x}" y="${TOP - 6}" text-anchor="middle">${index}</text>`);
    }
  });
  shown.forEach((name, row) => {
    const y = TOP + row * CELL;
    const label = name.length > 28 ? `${name.slice(0, 27)}…` : name;
    parts.push(
      `<text class="label" x="${LABEL_WIDTH - 6}" y="${y + CELL - 3}" text-anchor="end">${escapeHtml(label)}</text>`,
    );
    chunks.forEach((chunk, index) => {
      const column = chunk.columns[name];
      const state = column?.computable !== true ? "na" : column.drifted ? "drift" : "ok";
      parts.push(
        `<rect class="cell ${state}" x="${LABEL_WIDTH + index * CELL}" y="${y}" width="${CELL - 1}" ` +
          `height="${CELL - 1}"><title>${escapeHtml(cellTitle(name, chunk, column))}</title></rect>`,
      );
    });
  });
  parts.push("</svg>");
  const note =
    shown.length < names.length
      ? `<p class="meta">The ${shown.length} columns drifting in most chunks of ${names.length}.</p>`
      : "";
  return parts.join("\n") + note;
}

const PLOT = { width: 720, height: 200, left: 56, right: 12, top: 12, bottom: 28 };

/** The rule's value of one column over the chunks, with its threshold; null if never computable. */
export function columnOverChunks(name: string, chunks: readonly ChunkReport[]): string | null {
  const points: { index: number; y: number; drifted: boolean; title: string }[] = [];
  let threshold: number | null = null;
  let pValue = false;
  for (const chunk of chunks) {
    const column = chunk.columns[name];
    if (column?.computable !== true) continue;
    pValue = P_VALUE_TESTS.has(column.test);
    const scale = (value: number): number =>
      pValue ? -Math.log10(Math.max(value, 1e-300)) : value;
    threshold = scale(column.threshold);
    points.push({
      index: chunk.index,
      y: scale(column.value),
      drifted: column.drifted,
      title: cellTitle(name, chunk, column),
    });
  }
  if (points.length === 0 || threshold === null) return null;
  let top = threshold;
  for (const point of points) if (point.y > top) top = point.y;
  top = top * 1.1 || 1;
  const plotWidth = PLOT.width - PLOT.left - PLOT.right;
  const plotHeight = PLOT.height - PLOT.top - PLOT.bottom;
  const x = (index: number): number =>
    PLOT.left + (chunks.length <= 1 ? plotWidth / 2 : (index / (chunks.length - 1)) * plotWidth);
  const y = (value: number): number => PLOT.top + plotHeight * (1 - Math.max(0, value) / top);
  const axis = pValue ? "−log10 p-value" : "value";
  const thresholdY = y(threshold).toFixed(1);
  const path = points.map(
    (p, i) => `${i === 0 ? "M" : "L"}${x(p.index).toFixed(1)},${y(p.y).toFixed(1)}`,
  );
  const parts = [
    `<svg class="chart" viewBox="0 0 ${PLOT.width} ${PLOT.height}" role="img" ` +
      `aria-label="${escapeHtml(`${name}: drift test value per chunk and its threshold`)}">`,
    `<line class="grid" x1="${PLOT.left}" x2="${PLOT.width - PLOT.right}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}"/>`,
    `<line class="threshold" x1="${PLOT.left}" x2="${PLOT.width - PLOT.right}" y1="${thresholdY}" y2="${thresholdY}"/>`,
    `<text class="tick" x="${PLOT.width - PLOT.right}" y="${Number(thresholdY) - 4}" text-anchor="end">threshold ${escapeHtml(formatFigure(pValue ? 10 ** -threshold : threshold))}</text>`,
    `<text class="tick" x="${PLOT.left - 6}" y="${PLOT.top + 8}" text-anchor="end">${escapeHtml(formatFigure(top))}</text>`,
    `<text class="tick" x="${PLOT.left - 6}" y="${(y(0) + 4).toFixed(1)}" text-anchor="end">0</text>`,
    `<text class="tick" x="${PLOT.left}" y="${PLOT.height - 8}">chunk 0</text>`,
    `<text class="tick" x="${PLOT.width - PLOT.right}" y="${PLOT.height - 8}" text-anchor="end">chunk ${chunks.length - 1} · ${escapeHtml(axis)}</text>`,
    `<path class="line" d="${path.join(" ")}"/>`,
  ];
  for (const point of points) {
    parts.push(
      `<circle class="${point.drifted ? "drift" : "ok"}" cx="${x(point.index).toFixed(1)}" cy="${y(point.y).toFixed(1)}" r="3.5">` +
        `<title>${escapeHtml(point.title)}</title></circle>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n");
}

export const CHUNK_STYLE = `
.heatmap .cell.drift{fill:#e45756}.heatmap .cell.ok{fill:#b9dfc3}.heatmap .cell.na{fill:#e3e6ec}
.heatmap .tick,.heatmap .label{font-size:10px;fill:#5b6475}.heatmap-wrap{overflow-x:auto}
.chart .threshold{stroke:#a4161a;stroke-dasharray:4 3}.chart .line{fill:none;stroke:#4c78a8;stroke-width:1.5}
.chart circle.drift{fill:#e45756}.chart circle.ok{fill:#4c78a8}
`;
