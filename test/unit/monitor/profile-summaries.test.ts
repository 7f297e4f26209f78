// Stored reference summaries (reference_profiles.payload): every summary reads back as written —
// −0, subnormals and extreme doubles, free-text feature and category names (lone surrogates,
// "__proto__", quotes, control characters) — and anything else reads as "no summary".
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeSummary,
  encodeSummary,
  type ProfileSummary,
} from "../../../src/monitor/profile-summaries.js";

const double = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, 0, Number.MIN_VALUE, -Number.MAX_VALUE, 1e-310),
);
const floats = fc.array(double, { maxLength: 20 }).map((values) => Float64Array.from(values));
const text = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.constantFrom("__proto__", "constructor", "\ud800", "a\udc00b", '"\\\n\0', ""),
);

const summary: fc.Arbitrary<ProfileSummary> = fc.record({
  rows: fc.nat(),
  storedRows: fc.nat(),
  numeric: fc
    .uniqueArray(
      fc.tuple(
        text,
        fc.record({
          n: fc.nat(),
          decileEdges: floats,
          fineEdges: floats,
          fineCounts: floats,
          std: double,
          min: double,
          max: double,
        }),
      ),
      { selector: ([name]) => name, maxLength: 5 },
    )
    .map((entries) => new Map(entries)),
  categorical: fc
    .uniqueArray(
      fc.tuple(
        text,
        fc
          .uniqueArray(fc.tuple(text, fc.nat()), { selector: ([value]) => value, maxLength: 6 })
          .map((entries) => new Map(entries)),
      ),
      { selector: ([name]) => name, maxLength: 4 },
    )
    .map((entries) => new Map(entries)),
});

describe("stored reference summaries", () => {
  it("read back exactly as written, whatever the names and numbers", () => {
    fc.assert(
      fc.property(summary, (written) => {
        const read = decodeSummary(encodeSummary(written))!;
        expect(read.rows).toBe(written.rows);
        expect(read.storedRows).toBe(written.storedRows);
        expect([...read.numeric.keys()]).toEqual([...written.numeric.keys()]);
        for (const [name, feature] of written.numeric) {
          const back = read.numeric.get(name)!;
          for (const key of ["decileEdges", "fineEdges", "fineCounts"] as const) {
            expect(Array.from(back[key]).map((v) => Object.is(v, -0))).toEqual(
              Array.from(feature[key]).map((v) => Object.is(v, -0)),
            );
            expect(Array.from(back[key])).toEqual(Array.from(feature[key]));
          }
          expect([back.n, back.std, back.min, back.max]).toEqual([
            feature.n,
            feature.std,
            feature.min,
            feature.max,
          ]);
        }
        expect(read.categorical).toEqual(written.categorical);
        expect(Object.getPrototypeOf(read.categorical)).toBe(Map.prototype);
      }),
      { numRuns: 300 },
    );
  });

  it("reads anything else as no summary", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (payload) => {
        const read = decodeSummary(payload);
        if (read !== undefined) expect(JSON.parse(payload).format).toBe(1);
      }),
    );
    for (const payload of [
      "",
      "{",
      "null",
      '{"format":2,"rows":1,"storedRows":1,"numeric":[],"categorical":[]}',
      '{"format":1,"rows":"1","storedRows":1,"numeric":[],"categorical":[]}',
      '{"format":1,"rows":1,"storedRows":1,"numeric":[["x",{"n":1,"decileEdges":[null]}]],"categorical":[]}',
      '{"format":1,"rows":1,"storedRows":1,"numeric":{},"categorical":[]}',
      '{"format":1,"rows":1,"storedRows":1,"numeric":[],"categorical":[["c",[["a","1"]]]]}',
    ]) {
      expect(decodeSummary(payload), payload).toBeUndefined();
    }
  });
});
