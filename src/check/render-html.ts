// The `check --html` report: one self-contained page (inline CSS and SVG, no scripts, no external
// resources) with the summary, the per-column table, and each column's reference vs current
// histogram next to its statistics; with chunks, a heatmap of columns × chunks and each column's
// drift value over the chunks against its threshold.
import { formatFigure } from "./format-number.js";
import { escapeHtml, histogramSvg } from "./html-chart.js";
import { CHUNK_STYLE, chunkHeatmap, columnOverChunks } from "./html-chunks.js";
import { PERFORMANCE_STYLE, performanceSection } from "./performance/html-performance.js";
import { formatMissing, testLabel } from "./render-table.js";
import type { CheckOutcome, ColumnReport } from "./report.js";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:60rem;color:#1d2330;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin:2rem 0 .4rem;word-break:break-all}
.meta{color:#5b6475}.verdict{font-weight:600;padding:.15rem .5rem;border-radius:4px}
.drift{background:#fde2e1;color:#a4161a}.ok{background:#dff3e4;color:#1e6b34}.na{background:#eceff4;color:#5b6475}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .7rem;border-bottom:1px solid #e3e6ec;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.column{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}.chart{width:100%;max-width:720px;height:auto}
.chart .reference{fill:#4c78a8}.chart .current{fill:#f58518}.chart .grid{stroke:#e3e6ec}
.chart .tick,.chart .label{font-size:11px;fill:#5b6475}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}
`;

function verdictBadge(column: ColumnReport): string {
  if (!column.computable) return `<span class="verdict na">not computable</span>`;
  return column.drifted
    ? `<span class="verdict drift">drift</span>`
    : `<span class="verdict ok">no drift</span>`;
}

function statisticsRows(column: ColumnReport): [string, string][] {
  if (!column.computable) {
    const rows: [string, string][] = [["reason", column.reason]];
    if (column.n_reference !== undefined) {
      rows.push(["rows (reference / current)", `${column.n_reference} / ${column.n_current}`]);
      rows.push([
        "missing (reference / current)",
        `${column.missing_reference} / ${column.missing_current}`,
      ]);
    }
    return rows;
  }
  const rows: [string, string][] = [
    ["kind", column.kind],
    ["rows (reference / current)", `${column.n_reference} / ${column.n_current}`],
    [
      "missing (reference / current)",
      `${formatMissing(column.missing_reference, column.n_reference)} / ` +
        `${formatMissing(column.missing_current, column.n_current)}`,
    ],
    [
      "decided by",
      `${testLabel(column.test)} ${formatFigure(column.value)} (threshold ${formatFigure(column.threshold)})`,
    ],
    ["PSI", formatFigure(column.psi)],
    ["Jensen-Shannon", formatFigure(column.js)],
  ];
  if (column.kind === "numeric") {
    rows.push(["KS statistic", formatFigure(column.ks.statistic)]);
    rows.push(["KS p-value", formatFigure(column.ks.p_value)]);
    rows.push(["Wasserstein", formatFigure(column.wasserstein)]);
    rows.push(["Wasserstein (normed)", formatFigure(column.wasserstein_normed)]);
  } else {
    rows.push(["chi2 statistic", formatFigure(column.chi2.statistic)]);
    rows.push(["chi2 p-value", formatFigure(column.chi2.p_value)]);
  }
  return rows;
}

function summaryTable(outcome: CheckOutcome): string {
  const rows = Object.entries(outcome.report.columns).map(([name, column]) => {
    const cells = column.computable
      ? [
          escapeHtml(column.kind),
          escapeHtml(testLabel(column.test)),
          formatFigure(column.value),
          formatFigure(column.threshold),
        ]
      : [escapeHtml(column.kind ?? "-"), "-", "-", "-"];
    return (
      `<tr><td><a href="#col-${encodeURIComponent(name)}">${escapeHtml(name)}</a></td>` +
      `<td>${cells[0]}</td><td>${cells[1]}</td><td class="num">${cells[2]}</td><td class="num">${cells[3]}</td>` +
      `<td>${verdictBadge(column)}</td></tr>`
    );
  });
  return (
    `<table><thead><tr><th>column</th><th>kind</th><th>test</th><th>value</th><th>threshold</th><th>verdict</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table>`
  );
}

function columnSection(name: string, column: ColumnReport, outcome: CheckOutcome): string {
  const histogram = outcome.histograms.get(name);
  const stats = statisticsRows(column)
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join("");
  const chart =
    histogram === undefined
      ? ""
      : `<div>${histogramSvg(histogram, `${name}: reference vs current share of rows per bin`)}` +
        `<div class="legend meta"><span style="background:#4c78a8"></span>reference` +
        `<span style="background:#f58518"></span>current (share of non-missing rows per ` +
        `${column.computable && column.kind === "categorical" ? "category" : "reference decile bin"})</div></div>`;
  const chunks = outcome.report.chunks;
  const overChunks = chunks === undefined ? null : columnOverChunks(name, chunks);
  const chunkChart =
    overChunks === null
      ? ""
      : `<div>${overChunks}<div class="legend meta">the drift rule's value per chunk ` +
        `(red: drifted) and its threshold (dashed)</div></div>`;
  return (
    `<section id="col-${encodeURIComponent(name)}"><h2>${escapeHtml(name)} ${verdictBadge(column)}</h2>` +
    `<div class="column">${chart}<table>${stats}</table>${chunkChart}</div></section>`
  );
}

function chunkSection(outcome: CheckOutcome): string {
  const chunks = outcome.report.chunks;
  if (chunks === undefined) return "";
  const drifted = chunks.filter((chunk) => chunk.drifted).length;
  return (
    `<h2>Chunks ${drifted > 0 ? '<span class="verdict drift">chunk drift</span>' : '<span class="verdict ok">no chunk drift</span>'}</h2>` +
    `<p>Drift in <strong>${drifted}</strong> of ${chunks.length} chunks of the current file, ` +
    `each compared with the whole reference (red: drifted, green: no drift, grey: not computable; ` +
    `hover a cell for its figures).</p>` +
    `<div class="heatmap-wrap">${chunkHeatmap(Object.keys(outcome.report.columns), chunks)}</div>`
  );
}

export function renderHtml(outcome: CheckOutcome, generatedAt: Date = new Date()): string {
  const { report } = outcome;
  const computable = Object.values(report.columns).filter((column) => column.computable).length;
  const drifted = Object.values(report.columns).filter((c) => c.computable && c.drifted).length;
  const sections = Object.entries(report.columns)
    .map(([name, column]) => columnSection(name, column, outcome))
    .join("\n");
  const warnings =
    outcome.warnings.length === 0
      ? ""
      : `<ul class="meta">${outcome.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>driftwatch check report</title><style>${STYLE}${CHUNK_STYLE}${PERFORMANCE_STYLE}</style></head>
<body>
<h1>Drift report ${report.drifted ? '<span class="verdict drift">dataset drifted</span>' : '<span class="verdict ok">no dataset drift</span>'}</h1>
<p class="meta">reference: ${escapeHtml(outcome.referencePath)}<br>current: ${escapeHtml(outcome.currentPath)}<br>
generated ${escapeHtml(generatedAt.toISOString())} by driftwatch check</p>
<p>Drift in <strong>${drifted}</strong> of ${computable} compared columns (drift share ${formatFigure(report.drift_share)}).</p>
${warnings}
${summaryTable(outcome)}
${chunkSection(outcome)}
${performanceSection(report.performance, report.chunks)}
${sections}
</body></html>
`;
}
