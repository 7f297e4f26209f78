// Issue 18, item 6 through the CLI: `check --task binary|multiclass` with chunks — the README's
// example (exit 1 on the estimated accuracy leaving its thresholds, realized beside the estimates
// while labels last), the committed example files as their script writes them, exit 0 without
// alerts, the --html section, --task regression exit 2 "not yet", and bad inputs exit 2 naming
// the flag, without a stack trace.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPOSITORY_ROOT, runCli } from "../../support/cli.js";
import { binaryCsv, binaryRows, multiclassCsv } from "../../unit/check/support/model-files.js";

const directory = mkdtempSync(join(tmpdir(), "dw-check-performance-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
function file(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

const NO_TRACE = /unexpected error|at .*\.js:\d+|RangeError|PerformanceInputError/;
const EXAMPLE_REFERENCE = join(REPOSITORY_ROOT, "examples/data/model-reference.csv");
const EXAMPLE_CURRENT = join(REPOSITORY_ROOT, "examples/data/model-current.csv");
const EXAMPLE_FLAGS = [
  "--chunk-size",
  "500",
  "--task",
  "binary",
  "--score-column",
  "score",
  "--prediction-column",
  "prediction",
  "--label-column",
  "defaulted",
];

interface Figure {
  value: number | null;
  lower?: number | null;
  upper?: number | null;
  threshold_lower: number | null;
  threshold_upper: number | null;
  alert: boolean;
}
interface Performance {
  estimated: Record<string, Figure>;
  realized?: Record<string, Figure>;
  rows: number;
  labelled_rows: number;
}
interface Document {
  columns: Record<string, unknown>;
  performance?: Performance;
  chunks?: { index: number; performance?: Performance }[];
}

describe("check --task binary (the README example)", () => {
  it("the committed example files are what scripts/examples/model-example.mjs writes", () => {
    const out = mkdtempSync(join(directory, "example-"));
    execFileSync(process.execPath, [
      join(REPOSITORY_ROOT, "scripts/examples/model-example.mjs"),
      out,
    ]);
    for (const name of ["model-reference.csv", "model-current.csv"]) {
      expect(readFileSync(join(out, name), "utf8"), name).toBe(
        readFileSync(join(REPOSITORY_ROOT, "examples/data", name), "utf8"),
      );
    }
  });

  it("estimated accuracy leaves its thresholds as the case mix shifts: exit 1, realized while labels last", async () => {
    const run = await runCli([
      "check",
      "-r",
      EXAMPLE_REFERENCE,
      "-c",
      EXAMPLE_CURRENT,
      ...EXAMPLE_FLAGS,
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(1);
    const document = JSON.parse(run.stdout) as Document;
    expect(Object.keys(document.columns)).toEqual(["age", "income", "region"]);
    expect(document.performance).toMatchObject({ rows: 3000, labelled_rows: 1500 });
    const chunks = document.chunks!;
    expect(chunks).toHaveLength(6);
    const accuracy = chunks.map((chunk) => chunk.performance!.estimated.accuracy!);
    expect(accuracy[0]!.alert).toBe(false);
    expect(accuracy[5]!.alert).toBe(true);
    expect(accuracy[5]!.upper!).toBeLessThan(accuracy[5]!.threshold_lower!);
    for (let index = 1; index < 6; index++) {
      expect(accuracy[index]!.value!).toBeLessThan(accuracy[index - 1]!.value! + 0.01);
    }
    expect(chunks.map((chunk) => chunk.performance!.realized !== undefined)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    const realized = chunks[0]!.performance!.realized!.accuracy!.value!;
    expect(realized).toBeGreaterThanOrEqual(accuracy[0]!.lower!);
    expect(realized).toBeLessThanOrEqual(accuracy[0]!.upper!);

    const table = await runCli([
      "check",
      "-r",
      EXAMPLE_REFERENCE,
      "-c",
      EXAMPLE_CURRENT,
      ...EXAMPLE_FLAGS,
    ]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(
      /^chunk 5 \(rows 2500-3000\) +roc_auc +[\d.]+ +\[[\d.]+, [\d.]+\] +\[[\d.]+, [\d.]+\] +ALERT +-$/m,
    );
    expect(table.stdout).toMatch(/^chunk 0 \(rows 0-500\) +roc_auc .* no +[\d.]+$/m);
    expect(table.stdout).toContain("PERFORMANCE ALERT");
  });

  it("--html adds the estimate over the chunks with its band and thresholds", async () => {
    const html = join(directory, "performance.html");
    const run = await runCli([
      "check",
      "-r",
      EXAMPLE_REFERENCE,
      "-c",
      EXAMPLE_CURRENT,
      ...EXAMPLE_FLAGS,
      "--html",
      html,
    ]);
    expect(run.code, run.stderr).toBe(1);
    const page = readFileSync(html, "utf8");
    expect(page).toContain("Model performance");
    expect(page.match(/class="band"/g)).toHaveLength(5);
    expect(page).toMatch(/<path class="realized/);
    expect(page).not.toMatch(/<script/);
  });

  it("exit 0 without drift or alert; no labels in the current file, no realized values", async () => {
    const reference = file("reference.csv", binaryCsv(binaryRows(10_000, 21, 1.2)));
    const current = file("current.csv", binaryCsv(binaryRows(1000, 22, 1.2, false)));
    const run = await runCli([
      "check",
      "-r",
      reference,
      "-c",
      current,
      "--task",
      "binary",
      "--score-column",
      "score",
      "--label-column",
      "label",
      "--chunk-size",
      "500",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as Document;
    expect(document.performance!.realized).toBeUndefined();
    expect(
      document.chunks!.every((chunk) => chunk.performance!.estimated.f1!.alert === false),
    ).toBe(true);
  });
});

describe("check --task multiclass", () => {
  it("estimates each chunk from --score-columns", async () => {
    const reference = file("mc-reference.csv", multiclassCsv(3000, 23, 1.5));
    const current = file("mc-current.csv", multiclassCsv(1000, 24, 1.5));
    const run = await runCli([
      "check",
      "-r",
      reference,
      "-c",
      current,
      "--task",
      "multiclass",
      "--score-columns",
      "cat=p_cat,dog=p_dog,bird=p_bird",
      "--prediction-column",
      "predicted",
      "--label-column",
      "label",
      "--chunk-size",
      "500",
      "--json",
    ]);
    expect([0, 1]).toContain(run.code);
    const document = JSON.parse(run.stdout) as Document;
    expect(document.chunks!.map((chunk) => chunk.performance!.rows)).toEqual([500, 500]);
    expect(Object.keys(document.performance!.estimated)).toEqual([
      "roc_auc",
      "accuracy",
      "precision",
      "recall",
      "f1",
    ]);
    expect(Object.keys(document.columns)).toEqual(["x"]);
  });
});

describe("exit 2 with the flag named", () => {
  const reference = file("err-reference.csv", binaryCsv(binaryRows(400, 31, 1.2)));
  const current = file("err-current.csv", binaryCsv(binaryRows(200, 32, 1.2)));
  const binary = ["--task", "binary", "--score-column", "score", "--label-column", "label"];

  const cases: [string, () => string[], RegExp][] = [
    [
      "--task regression: not yet",
      () => [
        "check",
        "-r",
        reference,
        "-c",
        current,
        "--task",
        "regression",
        "--label-column",
        "label",
      ],
      /driftwatch: --task regression: not yet/,
    ],
    [
      "a missing score column",
      () => [
        "check",
        "-r",
        reference,
        "-c",
        current,
        ...binary.slice(0, 2),
        "--score-column",
        "proba",
        "--label-column",
        "label",
      ],
      /--score-column: no column named "proba" in the reference file/,
    ],
    [
      "a score outside [0, 1]",
      () => [
        "check",
        "-r",
        reference,
        "-c",
        file("above-one.csv", "x,score,prediction,label\n1,0.2,0,0\n2,1.7,1,1\n"),
        ...binary,
      ],
      /current file: --score-column column "score": data row 2: 1\.7 is not a probability/,
    ],
    [
      "a NaN score (NaN not a missing value)",
      () => [
        "check",
        "-r",
        reference,
        "-c",
        file("nan.csv", "x,score,prediction,label\n1,0.2,0,0\n2,NaN,1,1\n"),
        ...binary,
        "--na-values",
        "",
      ],
      /nan\.csv: line 3: --score-column column "score": "NaN" is not a number/,
    ],
    [
      "an unknown class in --score-columns",
      () => [
        "check",
        "-r",
        file("mc-r.csv", multiclassCsv(300, 33, 1.5)),
        "-c",
        file("mc-c.csv", multiclassCsv(100, 34, 1.5)),
        "--task",
        "multiclass",
        "--score-columns",
        "cat=p_cat,dog=p_dog,horse=p_bird",
        "--label-column",
        "label",
      ],
      /"bird" is not one of the classes of --score-columns \("cat", "dog", "horse"\)/,
    ],
    [
      "no labels in the reference",
      () => [
        "check",
        "-r",
        file("no-labels.csv", binaryCsv(binaryRows(300, 35, 1.2, false))),
        "-c",
        current,
        ...binary,
      ],
      /--label-column "label": no row of the reference file has both a label and a score/,
    ],
    [
      "--score-column without --task",
      () => ["check", "-r", reference, "-c", current, "--score-column", "score"],
      /--score-column needs --task binary or --task multiclass/,
    ],
  ];

  for (const [name, args, message] of cases) {
    it(name, async () => {
      const run = await runCli(args());
      expect(run.code, run.stdout).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(NO_TRACE);
      expect(run.stdout).toBe("");
    });
  }
});
