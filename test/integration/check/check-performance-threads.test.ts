// Performance estimation of `check` on its own worker thread (big files, or
// DRIFTWATCH_CHECK_THREADS=always) gives the output of estimating on the main thread byte for
// byte — binary and multiclass, chunked, labels in part of the current file, JSON and table — and
// the same exit 2 message when the estimation refuses the input; the process ends either way.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPOSITORY_ROOT, runCli } from "../../support/cli.js";
import { binaryCsv, binaryRows, multiclassCsv } from "../../unit/check/support/model-files.js";

const directory = mkdtempSync(join(tmpdir(), "dw-check-performance-threads-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
function file(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

const ON_THREADS = { DRIFTWATCH_CHECK_THREADS: "always" };
const MAIN_THREAD = { DRIFTWATCH_CHECK_THREADS: "off" };

async function expectSameOnThreads(args: string[]): Promise<number> {
  const [threaded, inline] = await Promise.all([
    runCli(args, ON_THREADS),
    runCli(args, MAIN_THREAD),
  ]);
  expect(threaded.stderr).not.toMatch(/unexpected error/);
  expect(threaded.code, threaded.stderr).toBe(inline.code);
  expect(threaded.stdout).toBe(inline.stdout);
  expect(threaded.stderr).toBe(inline.stderr);
  return threaded.code;
}

describe("check --task on a worker thread", () => {
  it("binary, chunked, labels in the first half of the current file: the same JSON and table", async () => {
    const args = [
      "check",
      "-r",
      join(REPOSITORY_ROOT, "examples/data/model-reference.csv"),
      "-c",
      join(REPOSITORY_ROOT, "examples/data/model-current.csv"),
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
    expect(await expectSameOnThreads([...args, "--json"])).toBe(1);
    expect(await expectSameOnThreads(args)).toBe(1);
  });

  it("binary without chunks, rows without a score skipped with a warning: the same output", async () => {
    const rows = binaryCsv(binaryRows(2000, 41, 1.2)).replace(/\n(\d+\.\d+),0\.\d+,/, "\n$1,,");
    const args = [
      "check",
      "-r",
      file("reference.csv", binaryCsv(binaryRows(3000, 42, 1.2))),
      "-c",
      file("current.csv", rows),
      "--task",
      "binary",
      "--score-column",
      "score",
      "--label-column",
      "label",
      "--json",
    ];
    await expectSameOnThreads(args);
  });

  it("multiclass, chunked: the same JSON", async () => {
    await expectSameOnThreads([
      "check",
      "-r",
      file("mc-reference.csv", multiclassCsv(3000, 43, 1.5)),
      "-c",
      file("mc-current.csv", multiclassCsv(1200, 44, 1.5)),
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
  });

  it("exit 2 with the estimation's message when it refuses the input", async () => {
    const code = await expectSameOnThreads([
      "check",
      "-r",
      file("no-labels.csv", binaryCsv(binaryRows(300, 45, 1.2, false))),
      "-c",
      file("some.csv", binaryCsv(binaryRows(200, 46, 1.2))),
      "--task",
      "binary",
      "--score-column",
      "score",
      "--label-column",
      "label",
    ]);
    expect(code).toBe(2);
  });
});
