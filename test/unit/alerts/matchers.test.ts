// Silence and inhibition matchers: the four operators, quoting, anchored regexes, clear errors.
import { describe, expect, it } from "vitest";
import { parseMatcher } from "../../../src/util/label-matchers.js";
import { buildSilence } from "../../../alerts/store/silence-store.js";

const labels = { alertname: "feature-drift", model: "credit-risk", feature: "income" };

describe("matchers", () => {
  it("match with =, !=, =~ and !~ (regexes anchored; a missing label is empty)", () => {
    const results = [
      'model="credit-risk"',
      "model!=credit-risk",
      "feature=~inc.*",
      "feature=~inc",
      'feature!~"a|b"',
      'team=""',
      "team=~.+",
    ].map((text) => parseMatcher(text).matches(labels));
    expect(results).toEqual([true, false, true, false, true, true, false]);
  });

  it("keeps quoted values whole", () => {
    expect(parseMatcher('feature="od280/od315 = x"')).toMatchObject({
      name: "feature",
      op: "=",
      value: "od280/od315 = x",
    });
  });

  it("names what is wrong", () => {
    expect(() => parseMatcher("model")).toThrow(/expected name=value/);
    expect(() => parseMatcher("feature=~(")).toThrow(/invalid regex in matcher feature=~"\("/);
    expect(() => parseMatcher('model="x')).toThrow(/unterminated quoted value/);
  });
});

describe("silence validation", () => {
  const limits = { defaultDurationMs: 3_600_000, maxDurationMs: 86_400_000 };
  const now = Date.UTC(2026, 10, 23);
  it("fills defaults and refuses bad input with the field", () => {
    const silence = buildSilence(
      { matchers: ["model=credit-risk"], createdBy: "ana", comment: "deploy" },
      now,
      limits,
    );
    expect([silence.startsAt, silence.endsAt]).toEqual([now, now + 3_600_000]);
    const bad = (input: Record<string, unknown>) => () =>
      buildSilence(
        { matchers: ["model=a"], createdBy: "ana", comment: "c", ...input } as never,
        now,
        limits,
      );
    expect(bad({ matchers: [] })).toThrow(/^matchers: at least one matcher/);
    expect(bad({ matchers: ["model=~.*"] })).toThrow(/would silence every alert/);
    expect(bad({ matchers: ["x"] })).toThrow(/^matchers\[0\]: invalid matcher/);
    expect(bad({ comment: " " })).toThrow(/^comment: is required/);
    expect(bad({ endsAt: now - 1 })).toThrow(/^endsAt: must be after startsAt/);
    expect(bad({ endsAt: now + 2 * 86_400_000 })).toThrow(/maxDuration/);
  });
});
