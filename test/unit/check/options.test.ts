// Column lists from the command line, the kind reconciliation rule, and progress on stderr.
import { describe, expect, it } from "vitest";
import { parseColumnList } from "../../../src/check/column-list.js";
import { finalKind, needsCategoricalRead } from "../../../src/check/column-kinds.js";
import { stderrProgress } from "../../../src/check/progress.js";

describe("parseColumnList", () => {
  it("splits on commas, trims, keeps escaped commas and accumulates repeated flags", () => {
    expect(parseColumnList("age, income ,region")).toEqual(["age", "income", "region"]);
    expect(parseColumnList("od280/od315_of_diluted_wines,a\\,b", ["x"])).toEqual([
      "x",
      "od280/od315_of_diluted_wines",
      "a,b",
    ]);
    expect(parseColumnList("a,,b,")).toEqual(["a", "b"]);
    expect(parseColumnList("back\\\\slash")).toEqual(["back\\slash"]);
  });
});

describe("finalKind", () => {
  it("is categorical when forced or when either file is, numeric only when both allow it", () => {
    expect(finalKind("numeric", "numeric", false)).toBe("numeric");
    expect(finalKind("numeric", "numeric", true)).toBe("categorical");
    expect(finalKind("numeric", "mixed", false)).toBe("categorical");
    expect(finalKind("categorical", "numeric", false)).toBe("categorical");
    expect(finalKind("numeric", "empty", false)).toBe("numeric");
    expect(finalKind("empty", "categorical", false)).toBe("categorical");
    expect(finalKind("empty", "empty", false)).toBe("undecided");
  });

  it("asks for a second, categorical read only of columns read as numbers", () => {
    expect(needsCategoricalRead("numeric", "categorical")).toBe(true);
    expect(needsCategoricalRead("mixed", "categorical")).toBe(true);
    expect(needsCategoricalRead("categorical", "categorical")).toBe(false);
    expect(needsCategoricalRead("empty", "categorical")).toBe(false);
    expect(needsCategoricalRead("numeric", "numeric")).toBe(false);
  });
});

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, write: (text: string) => written.push(text) > 0 };
  return { stream: stream as unknown as NodeJS.WriteStream, written };
}

describe("stderrProgress", () => {
  it("redraws one status line on a terminal, at most every 100 ms, and clears it", () => {
    let now = 0;
    const { stream, written } = fakeStream(true);
    const progress = stderrProgress(stream, () => now);
    progress.reading("reference", 1_048_576, 4_194_304);
    now = 50;
    progress.reading("reference", 2_097_152, 4_194_304);
    now = 150;
    progress.reading("reference", 3_145_728, 4_194_304);
    now = 300;
    progress.reading("current", 0, 2_097_152);
    progress.finish();
    expect(written).toEqual([
      "\r\x1b[Kreading reference file: 25% (1.0 of 4.0 MB)",
      "\r\x1b[Kreading reference file: 75% (3.0 of 4.0 MB)",
      "\r\x1b[Kreading reference file: 75% (3.0 of 4.0 MB), current file: 0% (0.0 of 2.0 MB)",
      "\r\x1b[K",
    ]);
  });

  it("writes plain lines at most every 10 s elsewhere, nothing for a quick run", () => {
    let now = 0;
    const { stream, written } = fakeStream(false);
    const progress = stderrProgress(stream, () => now);
    now = 5_000;
    progress.reading("current", 10, 100);
    progress.phase("comparing 3 column(s)");
    expect(written).toEqual([]);
    now = 12_000;
    progress.reading("current", 50, 100);
    now = 13_000;
    progress.reading("current", 60, 100);
    progress.phase("comparing 3 column(s)");
    progress.finish();
    expect(written).toEqual(
      [
        "driftwatch check: reading current file: 50% (0.0 of 0.0 MB)",
        "driftwatch check: comparing 3 column(s)",
      ].map((line) => `${line}\n`),
    );
  });
});
