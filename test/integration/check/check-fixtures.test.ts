// `driftwatch check --json` on fixture files: every field of the document equals the figures that
// scripts/fixtures/check.py computed with numpy/scipy (relative 1e-9; p-values relative 1e-4),
// and the exit code is 1 exactly when the dataset drifted.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeMillionRows } from "./million-rows.js";
import { fixturePath, runCli } from "../../support/cli.js";

const FIXTURES = fixturePath("check");

interface ExpectedCase {
  reference: string;
  current: string;
  arguments: string[];
  exit_code: number;
  document: Record<string, unknown>;
}

const expected = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")) as {
  cases: Record<string, ExpectedCase>;
  million: { sha256: Record<string, string>; exit_code: number; document: Record<string, unknown> };
};

const P_VALUE_TESTS = new Set(["ks", "chi2"]);

/** Compares `actual` with `expected` field by field; returns the differences found. */
function differences(actual: unknown, wanted: unknown, path: string, pValue: boolean): string[] {
  if (typeof wanted === "number") {
    if (typeof actual !== "number")
      return [`${path}: expected ${wanted}, got ${JSON.stringify(actual)}`];
    const tolerance = pValue ? 1e-4 : 1e-9;
    const scale = Math.max(Math.abs(actual), Math.abs(wanted));
    const ok =
      Math.abs(actual - wanted) <= tolerance * scale || Math.abs(actual - wanted) <= 1e-300;
    return ok ? [] : [`${path}: expected ${wanted}, got ${actual}`];
  }
  if (wanted === null || typeof wanted !== "object") {
    return actual === wanted
      ? []
      : [`${path}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`];
  }
  if (actual === null || typeof actual !== "object")
    return [`${path}: missing (expected an object)`];
  const found: string[] = [];
  const actualObject = actual as Record<string, unknown>;
  const wantedObject = wanted as Record<string, unknown>;
  const isPValueTestColumn =
    typeof wantedObject.test === "string" && P_VALUE_TESTS.has(wantedObject.test);
  for (const [key, value] of Object.entries(wantedObject)) {
    if (!(key in actualObject)) {
      found.push(`${path}.${key}: missing`);
      continue;
    }
    const childIsPValue = pValue || key === "p_value" || (key === "value" && isPValueTestColumn);
    found.push(...differences(actualObject[key], value, `${path}.${key}`, childIsPValue));
  }
  return found;
}

/** Big inputs are read and compared on worker threads; this makes `check` do so for fixtures too. */
const ON_WORKER_THREADS = { DRIFTWATCH_CHECK_THREADS: "always" };

const runs: [string, ExpectedCase, Record<string, string>][] = [
  ...Object.entries(expected.cases).map(
    ([name, testCase]): [string, ExpectedCase, Record<string, string>] => [name, testCase, {}],
  ),
  ["mixed, on worker threads", expected.cases.mixed, ON_WORKER_THREADS],
  ["small-jsonl, on worker threads", expected.cases["small-jsonl"], ON_WORKER_THREADS],
];

describe("driftwatch check --json against numpy/scipy fixtures", () => {
  for (const [name, testCase, env] of runs) {
    it(`${name}: every figure, verdict and the exit code`, async () => {
      const run = await runCli(
        [
          "check",
          "--reference",
          join(FIXTURES, testCase.reference),
          "--current",
          join(FIXTURES, testCase.current),
          "--json",
          ...testCase.arguments,
        ],
        env,
      );
      expect(run.stderr).not.toMatch(/unexpected error/);
      expect(run.code, run.stderr).toBe(testCase.exit_code);
      const document = JSON.parse(run.stdout) as { columns: Record<string, unknown> };
      // The same columns, in the reference file's order then the current-only ones.
      expect(Object.keys(document.columns)).toEqual(
        Object.keys(testCase.document.columns as Record<string, unknown>),
      );
      expect(differences(document, testCase.document, "$", false)).toEqual([]);
      // Categorical counts are complete: no category the fixture does not have.
      for (const [column, entry] of Object.entries(document.columns)) {
        const wanted = (testCase.document.columns as Record<string, { counts?: unknown }>)[column];
        if (wanted.counts !== undefined) {
          expect((entry as { counts: unknown }).counts, column).toEqual(wanted.counts);
        }
      }
    });
  }
});

describe("driftwatch check on 1e6-row windows", () => {
  const directory = mkdtempSync(join(tmpdir(), "dw-check-million-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("reports the figures numpy/scipy computed on the same million rows", async () => {
    const reference = join(directory, "million-reference.csv");
    const current = join(directory, "million-current.csv");
    // The files are written here, not committed: first make sure they are Python's bytes.
    expect(writeMillionRows(reference, false)).toBe(
      expected.million.sha256["million-reference.csv"],
    );
    expect(writeMillionRows(current, true)).toBe(expected.million.sha256["million-current.csv"]);
    const run = await runCli(["check", "--reference", reference, "--current", current, "--json"]);
    expect(run.code, run.stderr).toBe(expected.million.exit_code);
    expect(differences(JSON.parse(run.stdout), expected.million.document, "$", false)).toEqual([]);
  });
});
