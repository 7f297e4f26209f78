// The three renderings of a check outcome: the table, the JSON document and the HTML page.
import { describe, expect, it } from "vitest";
import { categoricalHistogram, numericHistogram } from "../../../src/check/histograms.js";
import { renderHtml } from "../../../src/check/render-html.js";
import { renderJson } from "../../../src/check/render-json.js";
import { renderTable } from "../../../src/check/render-table.js";
import type { CheckOutcome, CheckReport } from "../../../src/check/report.js";

const counts = { n_reference: 100, n_current: 90, missing_reference: 0, missing_current: 10 };

function report(): CheckReport {
  return {
    columns: {
      income: {
        kind: "numeric",
        computable: true,
        ...counts,
        psi: 0.31234567,
        js: 0.12,
        ks: { statistic: 0.21, p_value: 1.2e-40 },
        wasserstein: 1834.2,
        wasserstein_normed: 0.18,
        test: "wasserstein_normed",
        value: 0.18,
        threshold: 0.1,
        drifted: true,
        psi_drifted: true,
      },
      "<b>region</b>": {
        kind: "categorical",
        computable: true,
        ...counts,
        counts: { reference: { EU: 60, "": 40 }, current: { EU: 50, APAC: 40 } },
        psi: 0.05,
        js: 0.04,
        chi2: { statistic: 88.1, p_value: 3e-19 },
        test: "chi2",
        value: 3e-19,
        threshold: 0.05,
        drifted: true,
        psi_drifted: false,
      },
      score: {
        computable: false,
        reason: "every value is missing in the current file",
        kind: "numeric",
      },
      [`a_very_long_column_name_${"x".repeat(40)}`]: {
        kind: "numeric",
        computable: true,
        ...counts,
        psi: 0,
        js: 0,
        ks: { statistic: 0, p_value: 1 },
        wasserstein: 0,
        wasserstein_normed: 0,
        test: "ks",
        value: 1,
        threshold: 0.05,
        drifted: false,
        psi_drifted: false,
      },
    },
    drift_share: 2 / 3,
    drifted: true,
  };
}

describe("renderTable", () => {
  it("prints one aligned line per column, the reasons, and the summary", () => {
    const lines = renderTable(report()).split("\n");
    expect(lines[0]).toMatch(
      /^column +kind +test +value +threshold +drifted +psi +missing_ref +missing_cur$/,
    );
    expect(lines[1]).toMatch(
      /^income +numeric +Wasserstein \(normed\) +0\.18 +0\.1 +DRIFT +0\.3123 +0 +10 \(10%\)$/,
    );
    expect(lines[2]).toMatch(
      /^<b>region<\/b> +categorical +chi2 p-value +3\.00e-19 +0\.05 +DRIFT +0\.05 +0 +10 \(10%\)$/,
    );
    expect(lines[3]).toMatch(/^score +numeric +not computable +- +- +- +- +- +-$/);
    expect(lines[4]).toMatch(
      /^a_very_long_column_name_x{15}… +numeric +KS p-value +1 +0\.05 +no +0 +0 +10 \(10%\)$/,
    );
    // Columns line up: "kind" starts at the same offset on every row.
    const kindOffset = lines[0].indexOf("kind");
    for (const line of lines.slice(1, 5)) expect(line.slice(kindOffset - 2, kindOffset)).toBe("  ");
    expect(lines).toContain("  score: every value is missing in the current file");
    expect(lines.at(-2)).toBe(
      "Drift in 2 of 3 compared columns (drift share 0.6667): DATASET DRIFTED",
    );
  });
});

describe("renderJson", () => {
  it("prints the document and nothing else, parseable as JSON", () => {
    const text = renderJson(report());
    expect(JSON.parse(text)).toEqual(report());
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("refuses to print NaN or Infinity instead of silently writing null", () => {
    const broken = report();
    (broken.columns.income as { psi: number }).psi = Number.NaN;
    expect(() => renderJson(broken)).toThrow(/non-finite number for "psi"/);
    broken.drift_share = Number.POSITIVE_INFINITY;
    expect(() => renderJson(broken)).toThrow(/non-finite/);
  });
});

describe("renderHtml", () => {
  const outcome: CheckOutcome = {
    report: report(),
    histograms: new Map([
      [
        "income",
        { labels: ["≤ 10", "10 – 20", "> 20"], reference: [30, 40, 30], current: [10, 20, 60] },
      ],
      [
        "<b>region</b>",
        categoricalHistogram(
          new Map([
            ["EU", 60],
            ["", 40],
          ]),
          new Map([
            ["EU", 50],
            ["APAC", 40],
          ]),
        ),
      ],
    ]),
    warnings: ['only in the current file, skipped: "extra"'],
    referencePath: "ref.csv",
    currentPath: "cur <1>.csv",
  };
  const html = renderHtml(outcome, new Date("2026-11-23T08:00:00Z"));

  it("is one self-contained page: no scripts, no external resources", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/https?:\/\/|<script|<link|<img|@import|url\(/i);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain("generated 2026-11-23T08:00:00.000Z");
  });

  it("escapes column names, categories, paths and warnings", () => {
    expect(html).not.toContain("<b>region</b>");
    expect(html).toContain("&lt;b&gt;region&lt;/b&gt;");
    expect(html).toContain("cur &lt;1&gt;.csv");
    expect(html).toContain("&quot;extra&quot;");
    expect(html).toContain("&quot;&quot; (empty string)");
  });

  it("shows each column's statistics and reason", () => {
    expect(html).toContain("<th>KS p-value</th><td>1.20e-40</td>");
    expect(html).toContain("<th>chi2 statistic</th><td>88.1</td>");
    expect(html).toContain("every value is missing in the current file");
    expect(html).toContain("Drift in <strong>2</strong> of 3 compared columns");
    expect(html).toContain("<title>&gt; 20 — current: 60 rows (66.7%)</title>");
  });
});

describe("categoricalHistogram", () => {
  it("orders categories by total rows and lumps the tail together", () => {
    const reference = new Map([
      ["a", 5],
      ["b", 1],
      ["c", 1],
      ["d", 3],
    ]);
    const current = new Map([
      ["a", 1],
      ["e", 9],
    ]);
    expect(categoricalHistogram(reference, current, 3)).toEqual({
      labels: ["e", "a", "3 other categories"],
      reference: [0, 5, 5],
      current: [9, 1, 0],
    });
    expect(categoricalHistogram(reference, current).labels).toEqual(["e", "a", "d", "b", "c"]);
  });
});

describe("numericHistogram", () => {
  it("counts both samples at the reference decile bins, edges belonging to the lower bin", () => {
    const reference = new Float64Array([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    const histogram = numericHistogram(reference, new Float64Array([100, 5.5, 0, 1.9]));
    expect(histogram.labels).toEqual([
      "≤ 1.9",
      "1.9 – 2.8",
      "2.8 – 3.7",
      "3.7 – 4.6",
      "4.6 – 5.5",
      "5.5 – 6.4",
      "6.4 – 7.3",
      "7.3 – 8.2",
      "8.2 – 9.1",
      "> 9.1",
    ]);
    expect(histogram.reference).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(histogram.current).toEqual([2, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect([...reference]).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]); // input left as it was
  });

  it("draws one bin when the reference is constant", () => {
    const histogram = numericHistogram(new Float64Array([3, 3, 3]), new Float64Array([2, 3, 4]));
    expect(histogram).toEqual({ labels: ["≤ 3", "> 3"], reference: [3, 0], current: [2, 1] });
  });
});
