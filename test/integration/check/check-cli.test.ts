// `driftwatch check` as users run it: the table, the HTML report, --help, and every kind of bad
// input ending in exit code 2 with a clear message on stderr and nothing on stdout.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixturePath, runCli } from "../../support/cli.js";

const FIXTURES = fixturePath("check");

const directory = mkdtempSync(join(tmpdir(), "dw-check-cli-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

const expectedCases = (
  JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")) as {
    cases: Record<string, { document: { columns: Record<string, unknown> } }>;
  }
).cases;
const mixedExpected = expectedCases.mixed.document;
const exampleExpected = expectedCases.example.document;
const mixedReference = join(FIXTURES, "mixed-reference.csv");

/** A figure as the table prints it (4 significant digits), escaped for a RegExp. */
const figure = (value: number): string => String(Number(value.toPrecision(4))).replace(".", "\\.");

/** "Drift in D of C compared columns" as the expected document implies. */
function driftCounts(document: { columns: Record<string, unknown> }): string {
  const columns = Object.values(document.columns) as { computable: boolean; drifted?: boolean }[];
  const computable = columns.filter((column) => column.computable);
  return `Drift in ${computable.filter((column) => column.drifted).length} of ${computable.length} compared columns`;
}
const mixedCurrent = join(FIXTURES, "mixed-current.csv");

describe("driftwatch check output", () => {
  it("prints a table with every column, the rule's test and a summary line", async () => {
    const run = await runCli([
      "check",
      "-r",
      mixedReference,
      "-c",
      mixedCurrent,
      "--categorical",
      "code",
    ]);
    expect(run.code, run.stderr).toBe(1);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^column\s+kind\s+test\s+value\s+threshold\s+drifted\s+psi\s+missing_ref\s+missing_cur$/,
    );
    const income = mixedExpected.columns.income as { value: number; psi: number };
    const incomeLine = lines.find((line) => line.startsWith("income "));
    expect(incomeLine).toMatch(
      new RegExp(
        `numeric\\s+Wasserstein \\(normed\\)\\s+${figure(income.value)}\\s+0\\.1\\s+DRIFT\\s+` +
          `${figure(income.psi)}\\s+0\\s+16 \\(0\\.6%\\)$`,
      ),
    );
    expect(lines.find((line) => line.startsWith("rare_metric "))).toMatch(/KS p-value/);
    expect(run.stdout).toContain("od280/od315_of_diluted_wines");
    expect(run.stdout).toContain("score: every value is missing in the current file");
    expect(run.stdout).toContain("legacy: the column is only in the reference file");
    expect(run.stdout).toContain(
      `${driftCounts(mixedExpected)} (drift share 0.5): DATASET DRIFTED`,
    );
    expect(run.stderr).toContain('warning: only in the reference file, skipped: "legacy"');
    expect(run.stderr).toContain('warning: only in the current file, skipped: "new_feature"');
  });

  it("runs the README example as a new user would", async () => {
    const run = await runCli([
      "check",
      "--reference",
      "examples/data/reference.csv",
      "--current",
      "examples/data/current.csv",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^income\s+numeric\s+Wasserstein \(normed\).*DRIFT/m);
    expect(run.stdout).toMatch(/^region\s+categorical\s+Jensen-Shannon.*DRIFT/m);
    expect(run.stdout).toContain(driftCounts(exampleExpected));
    expect(run.stdout).toMatch(/: no dataset drift$/m);
    expect(run.stderr).toBe("");
  });

  it("writes a self-contained HTML report with a histogram per column", async () => {
    const output = join(directory, "report.html");
    const run = await runCli([
      "check",
      "-r",
      mixedReference,
      "-c",
      mixedCurrent,
      "--json",
      "--html",
      output,
    ]);
    expect(run.code, run.stderr).toBe(1);
    JSON.parse(run.stdout); // stdout still carries only the JSON document
    expect(run.stderr).toContain(`HTML report written to ${output}`);
    const html = readFileSync(output, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|@import|src=/i);
    // One chart per column with values in both files: 12 compared minus the all-missing score.
    expect(html.match(/<svg /g)).toHaveLength(12);
    expect(html).toContain("od280/od315_of_diluted_wines");
    expect(html).toContain("said &quot;no&quot;");
    expect(html).toContain("every value is missing in the current file");

    // Compared on worker threads, the samples come back sorted: the same page (but its time stamp).
    const threadedOutput = join(directory, "report-threads.html");
    const threaded = await runCli(
      ["check", "-r", mixedReference, "-c", mixedCurrent, "--json", "--html", threadedOutput],
      { DRIFTWATCH_CHECK_THREADS: "always" },
    );
    expect(threaded.code, threaded.stderr).toBe(1);
    const withoutTime = (page: string): string => page.replace(/generated \S+/, "generated");
    expect(withoutTime(readFileSync(threadedOutput, "utf8"))).toBe(withoutTime(html));
  });

  it("documents every flag with an example in --help", async () => {
    const run = await runCli(["check", "--help"]);
    expect(run.code).toBe(0);
    for (const flag of [
      "--reference",
      "--current",
      "--json",
      "--columns",
      "--categorical",
      "--html",
      "--no-progress",
      "--na-values",
      "--delimiter",
      "--chunk-size",
      "--chunk-by",
      "--chunk-period",
      "--max-columns",
      "--max-line-bytes",
    ]) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toContain("$ driftwatch check --reference examples/data/reference.csv");
    expect(run.stdout).toContain("Exit codes: 0 no dataset drift, 1 dataset drift, 2 error");
  });
});

describe("driftwatch check on bad input (exit 2, message on stderr, nothing on stdout)", () => {
  const good = (): string => file("good.csv", "a,b\n1,x\n2,y\n3,x\n");
  const cases: [string, () => string[], RegExp][] = [
    [
      "a missing file",
      () => ["-r", join(directory, "absent.csv"), "-c", good()],
      /reference file not found: .*absent\.csv/,
    ],
    [
      "a directory",
      () => {
        mkdirSync(join(directory, "dir.csv"), { recursive: true });
        return ["-r", good(), "-c", join(directory, "dir.csv")];
      },
      /current file is a directory/,
    ],
    [
      "an unsupported extension",
      () => ["-r", good(), "-c", file("data.xlsx", "x")],
      /unsupported file type "\.xlsx"/,
    ],
    [
      "an empty file",
      () => ["-r", file("empty.csv", ""), "-c", good()],
      /empty\.csv: file is empty \(no header row\)/,
    ],
    [
      "a header without rows",
      () => ["-r", good(), "-c", file("header.csv", "a,b\n")],
      /header\.csv: header row but no data rows/,
    ],
    [
      "a ragged row",
      () => ["-r", good(), "-c", file("ragged.csv", "a,b\n1,x\n2\n")],
      /ragged\.csv: line 3: 1 field, but the header row has 2/,
    ],
    [
      "no common columns",
      () => ["-r", good(), "-c", file("other.csv", "c,d\n1,2\n")],
      /no columns in common: the reference file has "a", "b", the current file has "c", "d"/,
    ],
    [
      "text that is not UTF-8",
      () => ["-r", good(), "-c", file("latin1.csv", Buffer.from("a,b\n1,Z\xfcrich\n", "latin1"))],
      /column "b": value is not valid UTF-8/,
    ],
    [
      "an unknown --columns name",
      () => ["-r", good(), "-c", good(), "--columns", "a,zz"],
      /--columns: no column named "zz" in either file/,
    ],
    [
      "every value missing in one file",
      () => ["-r", good(), "-c", file("missing.csv", "a,b\n,\n,\n")],
      /no column could be compared: "a": every value is missing in the current file; "b": every value is missing in the current file/,
    ],
    [
      "a missing --current flag",
      () => ["-r", good()],
      /required option '-c, --current <file>' not specified/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const run = await runCli(["check", ...args()]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/unexpected error|at .*\.js:\d+/);
      expect(run.stdout).toBe("");
    });
  }

  it("stops both reads when one file is bad while the files are read in parallel", async () => {
    const big = `a,b\n${"1,x\n".repeat(200_000)}`;
    const reference = file("parallel-ref.csv", big);
    const current = file("parallel-cur.csv", `${big}1,x,extra\n`);
    const started = Date.now();
    const run = await runCli(["check", "-r", reference, "-c", current], {
      DRIFTWATCH_CHECK_THREADS: "always",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /parallel-cur\.csv: line 200002: 3 fields, but the header row has 2/,
    );
    expect(run.stdout).toBe("");
    const missing = await runCli(["check", "-r", join(directory, "absent.csv"), "-c", current], {
      DRIFTWATCH_CHECK_THREADS: "always",
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/reference file not found: .*absent\.csv/);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("reports a column that is missing in one file as not computable when others compare", async () => {
    const reference = file("partial-ref.csv", "a,b\n1,x\n2,y\n3,x\n4,y\n");
    const current = file("partial-cur.csv", "a,b\n1,\n5,\n6,\n7,\n");
    const run = await runCli(["check", "-r", reference, "-c", current, "--json"]);
    expect([0, 1]).toContain(run.code);
    const document = JSON.parse(run.stdout) as { columns: Record<string, unknown> };
    expect(document.columns.b).toEqual({
      computable: false,
      reason: "every value is missing in the current file",
      kind: "categorical",
      n_reference: 4,
      n_current: 0,
      missing_reference: 0,
      missing_current: 4,
    });
    expect(run.stdout).not.toMatch(/NaN|Infinity/);
  });
});
