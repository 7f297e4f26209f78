// Issue 18, item 6: performance estimation in `check` — the JSON shape per chunk and for the
// whole file (DESIGN), realized values beside the estimates on labelled rows only, rows without a
// score left out and counted, the same estimates as the library on the same rows, JSONL, chunks
// by period, multiclass, the table and HTML sections, and bad inputs named by flag and row.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ESTIMATED_METRICS, fitEstimator } from "../../../detectors/index.js";
import { CheckInputError } from "../../../src/check/errors.js";
import {
  checkExitCode,
  type CheckOptions,
  optionsFromFlags,
  renderHtml,
  renderJson,
  renderTable,
  runCheck,
} from "../../../src/check/index.js";
import { binaryCsv, binaryJsonl, binaryRows, multiclassCsv } from "./support/model-files.js";

const directory = mkdtempSync(join(tmpdir(), "dw-performance-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
function file(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

const BINARY_FLAGS = {
  task: "binary",
  scoreColumn: "score",
  predictionColumn: "prediction",
  labelColumn: "label",
};

function options(reference: string, current: string, flags: Record<string, string>): CheckOptions {
  const { read, chunks, performance } = optionsFromFlags(flags);
  return {
    referencePath: reference,
    currentPath: current,
    read,
    ...(chunks === undefined ? {} : { chunks }),
    ...(performance === undefined ? {} : { performance }),
  };
}

async function inputError(run: Promise<unknown>): Promise<string> {
  const error = await run.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CheckInputError);
  return (error as Error).message;
}

const referenceRows = binaryRows(4000, 1, 1.2);
const referencePath = file("reference.csv", binaryCsv(referenceRows));

describe("binary", () => {
  const steady = binaryRows(2000, 2, 1.2);
  const steadyPath = file("steady.csv", binaryCsv(steady));

  it("gives DESIGN's performance object per chunk and for the whole file", async () => {
    const { report } = await runCheck(
      options(referencePath, steadyPath, { ...BINARY_FLAGS, chunkSize: "500" }),
    );
    const scopes = [report.performance!, ...report.chunks!.map((chunk) => chunk.performance!)];
    expect(scopes).toHaveLength(5);
    let inBand = 0;
    for (const performance of scopes) {
      expect(Object.keys(performance.estimated)).toEqual([...ESTIMATED_METRICS]);
      expect(Object.keys(performance.realized!)).toEqual([...ESTIMATED_METRICS]);
      for (const metric of ESTIMATED_METRICS) {
        const estimated = performance.estimated[metric]!;
        expect(Object.keys(estimated).sort()).toEqual(
          ["alert", "lower", "threshold_lower", "threshold_upper", "upper", "value"].sort(),
        );
        expect(estimated.lower!).toBeLessThanOrEqual(estimated.value!);
        expect(estimated.upper!).toBeGreaterThanOrEqual(estimated.value!);
        expect(estimated.threshold_lower!).toBeLessThan(estimated.threshold_upper!);
        // Exact probabilities, no shift: the realized value lies in the 3σ band (a sampling
        // error: allowed to miss narrowly once or twice in 25), nothing alerts.
        const realized = performance.realized![metric]!.value!;
        if (realized >= estimated.lower! && realized <= estimated.upper!) inBand++;
        expect(Math.abs(realized - estimated.value!)).toBeLessThan(
          1.5 * (estimated.upper! - estimated.lower!),
        );
        expect(estimated.alert).toBe(false);
      }
    }
    expect(inBand).toBeGreaterThanOrEqual(23);
    expect(report.performance).toMatchObject({ rows: 2000, skipped_rows: 0, labelled_rows: 2000 });
    // The features are still compared; the model's columns are not features.
    expect(Object.keys(report.columns)).toEqual(["x"]);
    const json = JSON.parse(renderJson(report)) as { chunks: { performance: unknown }[] };
    expect(json.chunks[0]!.performance).toEqual(report.chunks![0]!.performance);
  });

  it("equals the library's estimate on the same rows", async () => {
    const { report } = await runCheck(
      options(referencePath, steadyPath, { ...BINARY_FLAGS, chunkSize: "500" }),
    );
    const estimator = fitEstimator(
      {
        task: "binary",
        scores: referenceRows.map((r) => r.score),
        predictions: referenceRows.map((r) => String(r.prediction)),
        labels: referenceRows.map((r) => String(r.label)),
      },
      { positiveLabel: "1", chunkSize: 500 },
    );
    const chunk = steady.slice(500, 1000);
    const expected = estimator.estimate({
      scores: chunk.map((r) => r.score),
      predictions: chunk.map((r) => String(r.prediction)),
      labels: chunk.map((r) => String(r.label)),
    });
    expect(report.chunks![1]!.performance!.estimated).toEqual(expected.estimated);
    expect(report.chunks![1]!.performance!.realized).toEqual(expected.realized);
  });

  it("a case-mix shift moves estimated accuracy out of its thresholds: alert, exit code 1", async () => {
    const shifted = [
      ...binaryRows(500, 3, 1.2),
      ...binaryRows(500, 4, 0.3, false), // rows near the boundary, no labels yet
    ];
    const { report } = await runCheck(
      options(referencePath, file("shifted.csv", binaryCsv(shifted)), {
        ...BINARY_FLAGS,
        chunkSize: "500",
      }),
    );
    const [first, second] = report.chunks!;
    expect(first!.performance!.estimated.accuracy!.alert).toBe(false);
    const accuracy = second!.performance!.estimated.accuracy!;
    expect(accuracy.alert).toBe(true);
    expect(accuracy.upper!).toBeLessThan(accuracy.threshold_lower!);
    expect(second!.performance!.realized).toBeUndefined();
    expect(second!.performance!.labelled_rows).toBe(0);
    expect(first!.drifted || second!.drifted).toBe(false);
    expect(checkExitCode(report)).toBe(1);
    const table = renderTable(report);
    expect(table).toMatch(/^chunk 1 \(rows 500-1000\) +roc_auc .*ALERT/m);
    expect(table).toContain("PERFORMANCE ALERT");
    const html = renderHtml({
      report,
      histograms: new Map(),
      warnings: [],
      referencePath,
      currentPath: "shifted.csv",
    });
    expect(html).toContain("Model performance");
    expect(html).toContain('class="band"');
    expect(html).toContain('class="realized');
  });

  it("realized on the labelled rows only; rows without a score are left out and counted", async () => {
    const rows = binaryRows(1000, 5, 1.2);
    const text = rows
      .map(
        (r, i) =>
          `${r.x},${i % 10 === 0 ? "" : r.score},${r.prediction},${i % 4 === 0 ? "NA" : r.label}`,
      )
      .join("\n");
    const outcome = await runCheck(
      options(
        referencePath,
        file("holes.csv", `x,score,prediction,label\n${text}\n`),
        BINARY_FLAGS,
      ),
    );
    const performance = outcome.report.performance!;
    expect(performance).toMatchObject({ rows: 900, skipped_rows: 100 });
    // Rows 0, 10, 20, … have no score; rows 0, 4, 8, … no label: labelled = 900 − (250 − 50).
    expect(performance.labelled_rows).toBe(700);
    const labelled = rows.filter((_, i) => i % 10 !== 0 && i % 4 !== 0);
    const accuracy = labelled.filter((r) => r.prediction === r.label).length / labelled.length;
    expect(performance.realized!.accuracy!.value).toBeCloseTo(accuracy, 12);
    expect(outcome.warnings.join("\n")).toMatch(/100 row\(s\) of the current file have no score/);
  });

  it("reads JSONL (numbers by value as labels) and chunks by period", async () => {
    const rows = binaryRows(600, 6, 1.2).map((r, i) => ({
      ...r,
      label: r.label === null ? null : r.label === 1 ? 1.0 : 0,
      time: `2026-11-${String(1 + Math.floor(i / 200)).padStart(2, "0")}T12:00:00Z`,
    }));
    const { report } = await runCheck(
      options(referencePath.replace(/\.csv$/, ".csv"), file("current.jsonl", binaryJsonl(rows)), {
        ...BINARY_FLAGS,
        chunkBy: "time",
        chunkPeriod: "1d",
      }),
    );
    expect(report.chunks!.map((chunk) => chunk.performance!.rows)).toEqual([200, 200, 200]);
    expect(report.chunks![0]!.performance!.realized!.accuracy!.value).toBeGreaterThan(0.6);
    expect(Object.keys(report.columns)).toEqual(["x"]);
  });
});

describe("multiclass", () => {
  it("estimates macro metrics per chunk with --score-columns", async () => {
    const reference = file("mc-reference.csv", multiclassCsv(3000, 7, 1.5));
    const current = file("mc-current.csv", multiclassCsv(1000, 8, 1.5));
    const { report } = await runCheck(
      options(reference, current, {
        task: "multiclass",
        scoreColumns: "cat=p_cat,dog=p_dog,bird=p_bird",
        predictionColumn: "predicted",
        labelColumn: "label",
        chunkSize: "500",
      }),
    );
    expect(report.chunks).toHaveLength(2);
    for (const performance of [report.performance!, ...report.chunks!.map((c) => c.performance!)]) {
      expect(Object.keys(performance.estimated)).toEqual([...ESTIMATED_METRICS]);
      for (const metric of ESTIMATED_METRICS) {
        const { value, lower, upper } = performance.estimated[metric]!;
        expect(value!).toBeGreaterThan(0.3);
        const realized = performance.realized![metric]!.value!;
        expect(Math.abs(realized - value!)).toBeLessThan(Math.max(upper! - lower!, 0.05));
      }
    }
  });

  it("refuses a label that is not a class, and a class the reference never has", async () => {
    const reference = file("mc-ref-2.csv", multiclassCsv(600, 9, 1.5));
    const current = file("mc-cur-2.csv", multiclassCsv(200, 10, 1.5));
    const flags = {
      task: "multiclass",
      scoreColumns: "cat=p_cat,dog=p_dog,fish=p_bird",
      labelColumn: "label",
    };
    expect(await inputError(runCheck(options(reference, current, flags)))).toMatch(
      /^reference file: --label-column column "label": data row \d+: "bird" is not one of the classes of --score-columns \("cat", "dog", "fish"\)$/,
    );
    const onlyTwo = multiclassCsv(600, 9, 1.5).replaceAll(",bird\n", ",dog\n");
    expect(
      await inputError(
        runCheck(
          options(file("mc-ref-3.csv", onlyTwo), current, {
            ...flags,
            scoreColumns: "cat=p_cat,dog=p_dog,bird=p_bird",
          }),
        ),
      ),
    ).toMatch(
      /^--score-columns: class "bird" is not a label of the reference file's --label-column "label"/,
    );
  });
});

describe("bad inputs name the flag, the file and the row", () => {
  const current = file("bad-current.csv", binaryCsv(binaryRows(300, 11, 1.2)));

  it("a missing score column", async () => {
    expect(
      await inputError(
        runCheck(options(referencePath, current, { ...BINARY_FLAGS, scoreColumn: "proba" })),
      ),
    ).toMatch(/^--score-column: no column named "proba" in the reference file/);
  });

  it("scores outside [0, 1], NaN and text", async () => {
    const rows = binaryRows(300, 12, 1.2);
    const csv = (cell: string): string =>
      binaryCsv(rows).replace(/\n([^,\n]+),[^,\n]+,/, `\n$1,${cell},`);
    expect(
      await inputError(runCheck(options(referencePath, file("big.csv", csv("1.5")), BINARY_FLAGS))),
    ).toBe(
      'current file: --score-column column "score": data row 1: 1.5 is not a probability (scores must be numbers from 0 to 1)',
    );
    expect(
      await inputError(
        runCheck({
          ...options(referencePath, file("nan.csv", csv("NaN")), BINARY_FLAGS),
          read: { naValues: [] },
        }),
      ),
    ).toMatch(/nan\.csv: line 2: --score-column column "score": "NaN" is not a number$/);
    expect(
      await inputError(runCheck(options(referencePath, file("inf.csv", csv("inf")), BINARY_FLAGS))),
    ).toMatch(/data row 1: Infinity is not a probability/);
    // With the default --na-values, NaN is a missing value: the row is left out.
    const { report } = await runCheck(
      options(referencePath, file("na.csv", csv("NaN")), BINARY_FLAGS),
    );
    expect(report.performance).toMatchObject({ rows: 299, skipped_rows: 1 });
  });

  it("no labels in the reference", async () => {
    const unlabelled = file("unlabelled.csv", binaryCsv(binaryRows(300, 13, 1.2, false)));
    expect(await inputError(runCheck(options(unlabelled, current, BINARY_FLAGS)))).toMatch(
      /^--label-column "label": no row of the reference file has both a label and a score/,
    );
  });

  it("a positive label that is not among the labels", async () => {
    expect(
      await inputError(
        runCheck(options(referencePath, current, { ...BINARY_FLAGS, positiveLabel: "yes" })),
      ),
    ).toMatch(
      /^reference file: --label-column "label": .*positive label "yes" is not among the labels/,
    );
  });
});
