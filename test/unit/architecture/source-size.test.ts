// No source module grows past 450 lines (tests, fixtures and generated files aside): a file that
// long does more than one thing and should be split along its seams (docs/architecture.md).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const SOURCE_DIRS = ["src", "alerts", "detectors", "dashboards"];
const MAX_LINES = 450;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

describe("source modules", () => {
  const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)));

  it("are found", () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it(`have at most ${MAX_LINES} lines each`, () => {
    const tooLong = files
      .map((file) => ({
        file: relative(ROOT, file),
        lines: readFileSync(file, "utf8").split("\n").length - 1,
      }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(tooLong).toEqual([]);
  });
});
