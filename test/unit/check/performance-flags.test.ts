// Issue 18, item 6: the flags that turn on performance estimation in `check` — --task with its
// columns, refused combinations, --task regression "not yet", and the --score-columns grammar
// (class=column pairs, \, \= \\ escapes) read back exactly for nasty names (fast-check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CheckInputError } from "../../../src/check/errors.js";
import { optionsFromFlags } from "../../../src/check/index.js";
import {
  formatScoreColumns,
  parseScoreColumns,
  performanceFromFlags,
} from "../../../src/check/performance/performance-flags.js";

const RUNS = Number(process.env.DRIFTWATCH_FUZZ_RUNS ?? "1");

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CheckInputError);
    return (error as Error).message;
  }
  throw new Error("expected a CheckInputError");
}

describe("performanceFromFlags", () => {
  it("binary: the score, prediction and label columns and the positive label (default 1)", () => {
    expect(
      performanceFromFlags({
        task: "binary",
        scoreColumn: "score",
        predictionColumn: "pred",
        labelColumn: "y",
      }),
    ).toEqual({
      task: "binary",
      scores: [{ className: "1", column: "score" }],
      predictionColumn: "pred",
      labelColumn: "y",
      positiveLabel: "1",
    });
    expect(
      performanceFromFlags({
        task: "binary",
        scoreColumn: "p",
        labelColumn: "y",
        positiveLabel: "yes",
      }),
    ).toMatchObject({ positiveLabel: "yes", scores: [{ className: "yes", column: "p" }] });
  });

  it("multiclass: one score column per class, in flag order", () => {
    expect(
      performanceFromFlags({
        task: "multiclass",
        scoreColumns: "cat=p_cat, dog=p_dog,bird=p_bird",
        labelColumn: "label",
      }),
    ).toMatchObject({
      task: "multiclass",
      scores: [
        { className: "cat", column: "p_cat" },
        { className: "dog", column: "p_dog" },
        { className: "bird", column: "p_bird" },
      ],
    });
  });

  it("no --task: undefined, and the other flags alone are refused", () => {
    expect(performanceFromFlags({})).toBeUndefined();
    expect(optionsFromFlags({}).performance).toBeUndefined();
    expect(message(() => performanceFromFlags({ scoreColumn: "p" }))).toBe(
      "--score-column needs --task binary or --task multiclass",
    );
    expect(message(() => performanceFromFlags({ labelColumn: "y" }))).toMatch(/^--label-column/);
  });

  it("--task regression is not yet built; other tasks are refused by name", () => {
    expect(message(() => performanceFromFlags({ task: "regression", labelColumn: "y" }))).toMatch(
      /^--task regression: not yet/,
    );
    expect(message(() => performanceFromFlags({ task: "ranking" }))).toMatch(
      /--task: "ranking" is not a task/,
    );
  });

  it("names the missing or misplaced flag", () => {
    expect(message(() => performanceFromFlags({ task: "binary", scoreColumn: "p" }))).toMatch(
      /needs --label-column/,
    );
    expect(message(() => performanceFromFlags({ task: "binary", labelColumn: "y" }))).toMatch(
      /needs --score-column/,
    );
    expect(
      message(() =>
        performanceFromFlags({ task: "binary", labelColumn: "y", scoreColumns: "a=b,c=d" }),
      ),
    ).toBe("--score-columns does not apply to --task binary");
    expect(
      message(() =>
        performanceFromFlags({ task: "multiclass", labelColumn: "y", scoreColumn: "p" }),
      ),
    ).toBe("--score-column does not apply to --task multiclass");
    expect(message(() => performanceFromFlags({ task: "multiclass", labelColumn: "y" }))).toMatch(
      /needs --score-columns/,
    );
    expect(
      message(() => performanceFromFlags({ task: "binary", scoreColumn: "y", labelColumn: "y" })),
    ).toMatch(/column "y" is given for two roles/);
    expect(
      message(() => performanceFromFlags({ task: "binary", scoreColumn: " ", labelColumn: "y" })),
    ).toBe("--score-column: give a column name");
  });
});

describe("parseScoreColumns", () => {
  it("reads pairs, escapes and spaces; refuses what is not class=column", () => {
    expect(parseScoreColumns("a=b,c=d")).toEqual([
      { className: "a", column: "b" },
      { className: "c", column: "d" },
    ]);
    expect(parseScoreColumns(String.raw`x\=1=p\,x, y=p\\y ,`)).toEqual([
      { className: "x=1", column: "p,x" },
      { className: "y", column: String.raw`p\y` },
    ]);
    expect(message(() => parseScoreColumns("a=b"))).toMatch(/at least two/);
    expect(message(() => parseScoreColumns("a=b,c"))).toMatch(/"c" is not class=column/);
    expect(message(() => parseScoreColumns("a=b,c=d=e"))).toMatch(/is not class=column/);
    expect(message(() => parseScoreColumns("a=b,=d"))).toMatch(/both the class and the column/);
    expect(message(() => parseScoreColumns("a=b,a=d"))).toBe(
      '--score-columns: class "a" is given twice',
    );
    expect(message(() => parseScoreColumns("a=b,c=b"))).toBe(
      '--score-columns: column "b" is given for two classes',
    );
  });

  // Names: any text (commas, equals signs, backslashes, quotes, newlines, emoji, lone
  // surrogates) without surrounding spaces, which the grammar drops.
  const nastyName = fc
    .oneof(
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
      fc.string({
        unit: fc.constantFrom(",", "=", "\\", " ", '"', "\n", "é", "\ud800", "a"),
        minLength: 1,
        maxLength: 10,
      }),
    )
    .map((name) => name.trim())
    .filter((name) => name !== "");

  it("reads back every list formatScoreColumns writes (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(nastyName, nastyName), {
          minLength: 2,
          maxLength: 6,
          selector: ([className]) => className,
        }),
        (pairs) => {
          fc.pre(new Set(pairs.map(([, column]) => column)).size === pairs.length);
          const expected = pairs.map(([className, column]) => ({ className, column }));
          expect(parseScoreColumns(formatScoreColumns(expected))).toEqual(expected);
        },
      ),
      { seed: 18_06, numRuns: 300 * RUNS },
    );
  });

  it("any text either parses into non-empty names or is a CheckInputError (property)", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(",", "=", "\\", " ", "a", "b", "\t", "é"),
          maxLength: 30,
        }),
        (text) => {
          try {
            const pairs = parseScoreColumns(text);
            expect(pairs.length).toBeGreaterThanOrEqual(2);
            for (const pair of pairs) {
              expect(pair.className).not.toBe("");
              expect(pair.column).not.toBe("");
            }
          } catch (error) {
            expect(error).toBeInstanceOf(CheckInputError);
          }
        },
      ),
      { seed: 18_061, numRuns: 500 * RUNS },
    );
  });
});
