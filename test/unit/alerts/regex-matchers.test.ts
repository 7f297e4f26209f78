// Matcher regexes run on RE2 (linear time): the classic catastrophic-backtracking patterns match
// long labels in milliseconds, syntax RE2 refuses is named, values and silences are bounded, and
// Alertmanager's semantics (full match, !~, a missing label is "") are kept.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { ConfigError } from "../../../src/config/errors.js";
import type { AlertState } from "../../../alerts/model/alert.js";
import { compileInhibitRules, InhibitionIndex } from "../../../alerts/pipeline/inhibit.js";
import {
  createMatcher,
  MAX_MATCHER_TEXT_LENGTH,
  MAX_MATCHER_VALUE_LENGTH,
  MAX_MATCHERS_PER_SILENCE,
  parseMatcher,
  type MatcherSpec,
} from "../../../src/util/label-matchers.js";
import { MAX_REGEX_PROGRAM_SIZE } from "../../../src/util/re2-regex.js";
import { SilenceSet, type Silence } from "../../../alerts/silences/silence.js";
import { buildSilence } from "../../../alerts/store/silence-store.js";

/** Milliseconds `run` takes. */
function timed(run: () => unknown): { ms: number; result: unknown } {
  const started = performance.now();
  const result = run();
  return { ms: performance.now() - started, result };
}

// Generous for a loaded 2-core CI machine; the backtracking engine takes seconds to hours here.
const FAST_MS = 250;

describe("evil regexes match in linear time", () => {
  const cases: [string, string, boolean][] = [
    // JavaScript's RegExp takes ~14 s on the 26-character input and doubles per extra "a".
    ["(a|a?)+$", `${"a".repeat(26)}!`, false],
    ["(a|a?)+$", `${"a".repeat(100_000)}!`, false],
    ["(a|a?)+$", "a".repeat(100_000), true],
    ["(a+)+b", "a".repeat(100_000), false],
    ["(a+)+b", `${"a".repeat(100_000)}b`, true],
    ["(x+x+)+y", "x".repeat(100_000), false],
    ["(x+x+)+y", `${"x".repeat(100_000)}y`, true],
    ["(.*a){20}", "a".repeat(19) + "b".repeat(100_000), false],
    ["([a-z]+)+$", `${"a".repeat(100_000)}!`, false],
  ];
  for (const [regex, input, expected] of cases) {
    it(`${regex} on ${input.length} characters`, () => {
      const matcher = parseMatcher(`feature=~"${regex}"`);
      const { ms, result } = timed(() => matcher.matches({ feature: input }));
      expect(result).toBe(expected);
      expect(ms).toBeLessThan(FAST_MS);
      // !~ is the negation, as fast.
      const negated = createMatcher({ name: "feature", op: "!~", value: regex });
      expect(negated.matches({ feature: input })).toBe(!expected);
    });
  }

  it("a silence of evil regexes checks a thousand long label sets quickly", () => {
    const silence = buildSilence(
      {
        // The first two match, so every regex runs on every label set.
        matchers: ["model=~(x+x+)+y", 'metric!~"(a+)+b"', "feature=~(a|a?)+$"],
        createdBy: "ana",
        comment: "evil but valid RE2",
      },
      Date.UTC(2026, 10, 23),
      { defaultDurationMs: 3_600_000, maxDurationMs: 86_400_000 },
    );
    const set = new SilenceSet([silence]);
    const labels = Array.from({ length: 1000 }, (_, index) => ({
      feature: `${"a".repeat(200 + (index % 50))}!`,
      model: `${"x".repeat(60)}y`,
      metric: "a".repeat(250),
    }));
    const { ms, result } = timed(() =>
      labels.map((labelSet) => set.silencedBy(labelSet, silence.startsAt + 1).length),
    );
    expect(result).toEqual(labels.map(() => 0));
    expect(ms).toBeLessThan(4 * FAST_MS);
  });

  it("inhibition rules use the same engine", () => {
    const rules = compileInhibitRules([
      { sourceMatchers: ['scope="model"'], targetMatchers: ["feature=~(a|a?)+$"], equal: [] },
    ]);
    const alert = (fingerprint: string, labels: Record<string, string>): AlertState =>
      ({ fingerprint, state: "firing", labels }) as unknown as AlertState;
    const index = new InhibitionIndex(rules, [alert("source", { scope: "model" })]);
    const target = alert("target", { scope: "feature", feature: `${"a".repeat(50_000)}!` });
    const { ms, result } = timed(() => index.isInhibited(target));
    expect(result).toBe(false);
    expect(ms).toBeLessThan(FAST_MS);
    expect(index.isInhibited(alert("t2", { scope: "feature", feature: "aaaa" }))).toBe(true);
  });
});

describe("syntax RE2 refuses gets a clear error", () => {
  const refused: [string, RegExp][] = [
    ["(a)\\1", /backreferences such as \\1 are not supported/],
    ["(?<n>a)\\k<n>", /named backreferences \(\\k<name>\) are not supported/],
    ["(?=a)a", /lookahead \(\?= …\) and \(\?! …\) is not supported/],
    ["(?!a)b", /lookahead/],
    ["(?<=a)b", /lookbehind \(\?<= …\) and \(\?<! …\) is not supported/],
    ["(?<!a)b", /lookbehind/],
    ["(?>a+)b", /atomic groups/],
    ["a++", /possessive quantifiers/],
    ["\\u0041", /\\u escapes are .*\\x\{263A\}/],
  ];
  for (const [regex, reason] of refused) {
    it(regex, () => {
      const run = () => createMatcher({ name: "feature", op: "=~", value: regex });
      expect(run).toThrow(reason);
      expect(run).toThrow(`invalid regex in matcher feature=~${JSON.stringify(regex)}`);
      expect(run).toThrow(/RE2 syntax is required \(no backreferences or lookaround; see https:/);
    });
  }

  it("other syntax errors keep RE2's reason and say RE2 syntax is required", () => {
    expect(() => parseMatcher("feature=~(")).toThrow(
      /invalid regex in matcher feature=~"\(": missing closing \): .*; RE2 syntax is required/,
    );
    expect(() => parseMatcher("feature=~a{2,1}")).toThrow(/invalid repeat count/);
  });

  it("RE2 refuses huge programs: one match stays cheap", () => {
    expect(() => parseMatcher("feature=~(?:a|aa){1000}")).toThrow(
      new RegExp(
        `too large: it compiles to \\d+ RE2 instructions, at most ${MAX_REGEX_PROGRAM_SIZE}`,
      ),
    );
    expect(parseMatcher("feature=~a{1000}").matches({ feature: "a".repeat(1000) })).toBe(true);
  });

  it("a silence with a backreference is refused by the API's validation, naming the matcher", () => {
    expect(() =>
      buildSilence(
        { matchers: ["model=credit", "feature=~(a)\\1"], createdBy: "ana", comment: "c" },
        Date.UTC(2026, 10, 23),
        { defaultDurationMs: 3_600_000, maxDurationMs: 86_400_000 },
      ),
    ).toThrow(/^matchers\[1\]: invalid regex .*backreferences/);
  });

  it("an inhibition rule with a lookahead stops the config with its path", () => {
    let error: unknown;
    try {
      parseConfig(
        "alerts:\n  inhibitRules:\n    - sourceMatchers: ['scope=~\"(?=m)model\"']\n      targetMatchers: [scope=feature]\n",
        { env: {} },
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /alerts\.inhibitRules\[0\]\.sourceMatchers\[0\] \(line 3.*lookahead .*RE2 syntax is required/,
    );
  });
});

describe("limits", () => {
  const now = Date.UTC(2026, 10, 23);
  const limits = { defaultDurationMs: 3_600_000, maxDurationMs: 86_400_000 };
  const silenceOf = (matchers: readonly (string | MatcherSpec)[]) =>
    buildSilence({ matchers, createdBy: "ana", comment: "c" }, now, limits);

  it(`a matcher value is at most ${MAX_MATCHER_VALUE_LENGTH} characters`, () => {
    const longest = "a".repeat(MAX_MATCHER_VALUE_LENGTH);
    expect(
      createMatcher({ name: "feature", op: "=", value: longest }).matches({ feature: longest }),
    ).toBe(true);
    expect(createMatcher({ name: "feature", op: "=~", value: longest }).value).toBe(longest);
    // Characters, not UTF-16 units: 1,024 emoji are 2,048 units.
    expect(() => createMatcher({ name: "f", op: "=", value: "😀".repeat(1024) })).not.toThrow();
    expect(() => createMatcher({ name: "feature", op: "=~", value: `${longest}a` })).toThrow(
      "invalid matcher feature=~…: the value is 1025 characters long, at most 1024 are allowed",
    );
    expect(() =>
      silenceOf(["model=x", { name: "feature", op: "=", value: `${longest}b` }]),
    ).toThrow(/^matchers\[1\]: .*the value is 1025 characters long, at most 1024/);
  });

  it("label names and matcher texts are bounded too", () => {
    expect(() => createMatcher({ name: "n".repeat(129), op: "=", value: "x" })).toThrow(
      /label name: 129 characters long, at most 128/,
    );
    expect(() => parseMatcher(`feature="${" ".repeat(MAX_MATCHER_TEXT_LENGTH)}"`)).toThrow(
      /the text is 8202 characters long, at most 8192/,
    );
    // Whitespace runs cannot make the parser itself slow.
    const { ms } = timed(() => {
      try {
        parseMatcher(`a=x${" ".repeat(8000)}\ny`);
      } catch {
        // invalid: a line break in the value
      }
    });
    expect(ms).toBeLessThan(FAST_MS);
  });

  it(`a silence has at most ${MAX_MATCHERS_PER_SILENCE} matchers`, () => {
    const matchers = Array.from({ length: MAX_MATCHERS_PER_SILENCE }, (_, index) => `l${index}=v`);
    expect(silenceOf(matchers).matchers).toHaveLength(64);
    expect(() => silenceOf([...matchers, "model=x"])).toThrow(
      "matchers: 65 matchers given, at most 64 are allowed per silence",
    );
  });
});

describe("Alertmanager semantics are kept", () => {
  const labels = { alertname: "feature-drift", model: "credit-risk", feature: "income" };
  const match = (text: string, on: Record<string, string> = labels) =>
    parseMatcher(text).matches(on);

  it("regexes are anchored at both ends (a full match)", () => {
    expect(match("feature=~inc.*")).toBe(true);
    expect(match("feature=~inc")).toBe(false);
    expect(match("feature=~come")).toBe(false);
    expect(match("feature=~.*come")).toBe(true);
    // The whole value, not a prefix: the first alternative matching a prefix is not enough.
    expect(match("feature=~inc|income")).toBe(true);
    expect(match('model=~"credit-(risk|fraud)"')).toBe(true);
    // No way to break out of the anchoring: the value is one whole regex.
    expect(() => match("model=~a)|(credit-risk")).toThrow(/invalid regex .*RE2 syntax/);
  });

  it("!~ is the negation and a missing label matches as the empty string", () => {
    expect(match("feature!~inc.*")).toBe(false);
    expect(match('feature!~"a|b"')).toBe(true);
    expect(match("team=~")).toBe(true);
    expect(match("team=~.*")).toBe(true);
    expect(match("team=~.+")).toBe(false);
    expect(match("team!~.+")).toBe(true);
    expect(match('team=""')).toBe(true);
    expect(match("team!=x")).toBe(true);
  });

  it("RE2 details: characters not UTF-16 units, no newline for '.', inline flags", () => {
    expect(match("feature=~.", { feature: "😀" })).toBe(true);
    expect(match("feature=~..", { feature: "😀" })).toBe(false);
    expect(match("feature=~revenu .*/mois", { feature: "revenu €/mois" })).toBe(true);
    expect(match("feature=~a.b", { feature: "a\nb" })).toBe(false);
    expect(match("feature=~(?s)a.b", { feature: "a\nb" })).toBe(true);
    expect(match("model=~(?i)CREDIT-.*")).toBe(true);
    expect(match("feature=~\\x{20AC}", { feature: "€" })).toBe(true);
  });

  it("a stored silence whose regex RE2 refuses is left out of a SilenceSet, the others still apply", () => {
    const base = {
      startsAt: 0,
      endsAt: Number.MAX_SAFE_INTEGER,
      createdBy: "ana",
      comment: "c",
      createdAt: 0,
      updatedAt: 0,
    };
    const backreference: Silence = {
      ...base,
      id: "old",
      matchers: [{ name: "feature", op: "=~", value: "(a)\\1" }],
    };
    const valid: Silence = {
      ...base,
      id: "ok",
      matchers: [{ name: "feature", op: "=", value: "income" }],
    };
    const set = new SilenceSet([backreference, valid]);
    expect(set.all.map((silence) => silence.id)).toEqual(["ok"]);
    expect(set.rejected.map((entry) => entry.silence.id)).toEqual(["old"]);
    expect(set.rejected[0]!.reason).toMatch(/^matchers\[0\]: invalid regex .*backreferences/);
    expect(set.silencedBy(labels, 1)).toEqual(["ok"]);
  });
});
