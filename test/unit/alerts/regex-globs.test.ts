// Rule globs compile (picomatch) to backtracking JavaScript regexes: `*a*a*a*a*a*a*a*a*b` takes
// seconds on a 40-character name. The config bounds globs (length, wildcards, groups, no
// quantified extglobs), and the worst globs it accepts match hostile 256-character feature names
// (the longest the event contract allows) quickly in the engine's compiled rules.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  globProblem,
  MAX_GLOB_BRANCHES,
  MAX_GLOB_LENGTH,
  MAX_GLOB_WILDCARDS,
} from "../../../src/config/schema/alerts/checks.js";
import { compileRules } from "../../../alerts/engine/compiled-rule.js";
import { ConfigError, parseConfig } from "../../../src/config/index.js";

function rulesConfig(features: string[]) {
  return parseConfig(
    stringify({
      alerts: {
        rules: [{ name: "glob", result: "drift", metric: "psi", models: ["*"], features }],
      },
    }),
    { env: {} },
  );
}

function configError(features: string[]): string {
  try {
    rulesConfig(features);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const alternatives = (count: number) =>
  `{${Array.from({ length: count }, (_, index) => "a".repeat(index + 1)).join(",")}}`;

describe("hostile rule globs are refused with the reason", () => {
  it(`more than ${MAX_GLOB_LENGTH} characters`, () => {
    expect(configError([`${"x".repeat(MAX_GLOB_LENGTH)}*`])).toMatch(
      /alerts\.rules\[0\]\.features\[0\] \(line \d+.*: invalid glob ".*…": 201 characters long, at most 200 are allowed/,
    );
    expect(globProblem("x".repeat(MAX_GLOB_LENGTH))).toBeUndefined();
  });

  it(`more than ${MAX_GLOB_WILDCARDS} * wildcards (polynomial backtracking)`, () => {
    expect(configError(["*a*a*ab"])).toMatch(
      /invalid glob "\*a\*a\*ab": 3 \* wildcards, at most 2 are allowed per glob; split it into several globs/,
    );
    expect(globProblem("*a**a*ab")).toMatch(/3 \* wildcards/);
    // Escaped or bracketed stars are literal.
    expect(globProblem("*a\\*a[*]ab*")).toBeUndefined();
  });

  it(`more than ${MAX_GLOB_BRANCHES} wildcards and groups together`, () => {
    expect(globProblem("{a,aa}{a,aa}*a*b")).toMatch(
      /4 wildcards and \{…\}\/\(…\) groups, at most 3 are allowed/,
    );
    expect(globProblem("{a,aa}{a,aa}{a,aa}{a,aa}b")).toMatch(/4 wildcards and/);
    expect(globProblem("@(a|aa)@(a|aa)*a*b")).toMatch(/4 wildcards and/);
  });

  it("quantified or negated extglobs (nested quantifiers)", () => {
    for (const glob of ["+(a|aa)b", "*(a|aa)b", "?(a|aa)?(a|aa)b", "!(x)*"]) {
      expect(globProblem(glob)).toMatch(/extglob .\(…\) is not supported/);
    }
    expect(globProblem("@(credit|fraud)-*")).toBeUndefined();
  });

  it("the metric glob and model globs too", () => {
    const text = stringify({
      alerts: {
        rules: [{ name: "g", result: "drift", metric: "*a*a*a", models: ["+(x)"] }],
      },
    });
    let message = "";
    try {
      parseConfig(text, { env: {} });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/alerts\.rules\[0\]\.models\[0\].*extglob \+\(…\)/);
    expect(message).toMatch(/alerts\.rules\[0\]\.metric.*3 \* wildcards/);
  });

  it("everyday globs are fine", () => {
    for (const glob of ["*", "credit-*", "credit-*-v*", "{credit,fraud}-*", "*_p_value", "a/**"]) {
      expect(globProblem(glob), glob).toBeUndefined();
    }
  });
});

describe("the worst accepted globs match hostile names quickly", () => {
  // Each is accepted by the checks; the input is built to make its regex fail late.
  const worst: [string, string][] = [
    ["*a*ab", "a".repeat(256)],
    ["**a**ab", "a".repeat(256)],
    [`*${alternatives(18)}*b`, "a".repeat(256)],
    [`*a*${alternatives(18)}b`, "a".repeat(256)],
    [`*${alternatives(12)}${alternatives(12)}b`, "a".repeat(256)],
    [`${alternatives(12)}*${alternatives(12)}b`, "a".repeat(256)],
    [`${alternatives(9)}${alternatives(9)}${alternatives(9)}b`, "a".repeat(256)],
    ["{*a,aa}{a,aa,aaa}b", "a".repeat(256)],
    ["*[a]*[a]b", "a".repeat(256)],
    ["*?*?b", "a".repeat(256)],
    ["*/*/b", "a/".repeat(128)],
    ["!*a*ab", "a".repeat(256)],
  ];
  for (const [index, [glob, name]] of worst.entries()) {
    const shown = glob.length > 40 ? `${glob.slice(0, 40)}…` : glob;
    it(`#${index} ${shown} on ${name.length} characters`, () => {
      expect(globProblem(glob)).toBeUndefined();
      const rule = compileRules(rulesConfig([glob]).alerts).find((each) => each.name === "glob")!;
      rule.matchesFeature("warm-up");
      const started = performance.now();
      rule.matchesFeature(name);
      // Measured 0.1–90 ms; the refused globs above take seconds to hours.
      expect(performance.now() - started).toBeLessThan(500);
    });
  }
});
