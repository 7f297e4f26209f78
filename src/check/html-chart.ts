// An inline SVG bar chart of reference vs current proportions per bin, for the HTML report:
// no scripts, no external resources, a <title> per bar as its tooltip.
import type { ColumnHistogram } from "./report.js";

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 16, right: 12, bottom: 90, left: 48 };
const MAX_LABEL_CHARS = 18;

function proportions(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => (total === 0 ? 0 : count / total));
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function shorten(label: string): string {
  return label.length <= MAX_LABEL_CHARS ? label : `${label.slice(0, MAX_LABEL_CHARS - 1)}…`;
}

export function histogramSvg(histogram: ColumnHistogram, caption: string): string {
  const reference = proportions(histogram.reference);
  const current = proportions(histogram.current);
  let top = 0.0001;
  for (const share of reference) if (share > top) top = share;
  for (const share of current) if (share > top) top = share;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const bins = histogram.labels.length;
  const slot = plotWidth / Math.max(1, bins);
  const barWidth = Math.max(1, (slot * 0.8) / 2);
  const y = (value: number): number => MARGIN.top + plotHeight * (1 - value / top);
  const parts: string[] = [];
  parts.push(
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(caption)}">`,
  );
  for (const tick of [0, 0.5, 1]) {
    const value = top * tick;
    const ty = y(value).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ty}" y2="${ty}" class="grid"/>`,
      `<text x="${MARGIN.left - 6}" y="${ty}" class="tick" text-anchor="end" dominant-baseline="middle">${percent(value)}</text>`,
    );
  }
  histogram.labels.forEach((label, bin) => {
    const x0 = MARGIN.left + slot * bin + slot * 0.1;
    const bars: [string, number, number, number][] = [
      ["reference", reference[bin], histogram.reference[bin], x0],
      ["current", current[bin], histogram.current[bin], x0 + barWidth],
    ];
    for (const [series, share, count, x] of bars) {
      const barTop = y(share);
      parts.push(
        `<rect class="${series}" x="${x.toFixed(1)}" y="${barTop.toFixed(1)}" width="${barWidth.toFixed(1)}" ` +
          `height="${(MARGIN.top + plotHeight - barTop).toFixed(1)}">` +
          `<title>${escapeHtml(`${label} — ${series}: ${count} rows (${percent(share)})`)}</title></rect>`,
      );
    }
    const labelX = (MARGIN.left + slot * bin + slot / 2).toFixed(1);
    const labelY = MARGIN.top + plotHeight + 10;
    parts.push(
      `<text class="label" x="${labelX}" y="${labelY}" text-anchor="end" ` +
        `transform="rotate(-40 ${labelX} ${labelY})">${escapeHtml(shorten(label))}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}
