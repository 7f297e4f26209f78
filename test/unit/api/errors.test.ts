// How schema-validation issues become the `field` and message of a 400, and request times.
import { describe, expect, it } from "vitest";
import { describeValidation } from "../../../src/api/error-handler.js";
import { hintedPattern, variantTitle } from "../../../src/api/schemas/common.js";
import { requestTime, timeRange } from "../../../src/api/time-values.js";
import { API_ERRORS } from "../../../src/api/error-codes.js";

describe("describeValidation", () => {
  it("names nested, missing, unknown and array fields", () => {
    expect(
      describeValidation(
        [
          {
            keyword: "minimum",
            instancePath: "/reference/days",
            message: "must be >= 1",
            params: {},
          },
        ],
        "body",
      ),
    ).toEqual({ field: "reference.days", message: "reference.days: must be >= 1" });
    expect(
      describeValidation(
        [{ keyword: "required", instancePath: "/reference", params: { missingProperty: "kind" } }],
        "body",
      ),
    ).toEqual({ field: "reference.kind", message: "reference.kind: is required" });
    expect(
      describeValidation(
        [
          {
            keyword: "additionalProperties",
            instancePath: "",
            params: { additionalProperty: "colour" },
          },
        ],
        "querystring",
      ),
    ).toEqual({ field: "colour", message: "query colour: is not a known field" });
    expect(
      describeValidation(
        [
          { keyword: "type", instancePath: "/rows/3/age", message: "must be number", params: {} },
          {
            keyword: "anyOf",
            instancePath: "/rows/3/age",
            message: "must match a schema in anyOf",
            params: {},
          },
        ],
        "body",
      ).field,
    ).toBe("rows[3].age");
    expect(
      describeValidation(
        [{ keyword: "enum", instancePath: "/kind", params: { allowedValues: ["a", "b"] } }],
        "body",
      ),
    ).toEqual({ field: "kind", message: "kind: must be one of a, b" });
    expect(
      describeValidation(
        [{ keyword: "type", instancePath: "", message: "must be object", params: {} }],
        "body",
      ).field,
    ).toBe("body");
  });
});

describe("describeValidation of unions", () => {
  it("prefers the branch that got furthest: a failed format, a hinted pattern, then any but a type", () => {
    const hinted = hintedPattern("^x+$", "must be one or more x");
    const union = (issues: { keyword: string; params?: Record<string, unknown> }[]) =>
      describeValidation(
        [
          ...issues.map((issue) => ({
            instancePath: "/from",
            message: `failed ${issue.keyword}`,
            params: issue.params ?? {},
            keyword: issue.keyword,
          })),
          { keyword: "anyOf", instancePath: "/from", params: {} },
        ],
        "body",
      );
    expect(
      union([
        { keyword: "type", params: { type: "integer" } },
        { keyword: "pattern", params: { pattern: hinted } },
      ]),
    ).toEqual({ field: "from", message: "from: must be one or more x" });
    expect(
      union([{ keyword: "pattern", params: { pattern: hinted } }, { keyword: "format" }]).message,
    ).toBe("from: failed format");
    expect(
      union([{ keyword: "type", params: { type: "integer" } }, { keyword: "maximum" }]).message,
    ).toBe("from: failed maximum");
    expect(
      union([
        { keyword: "type", params: { type: "integer" } },
        { keyword: "type", params: { type: "string" } },
        { keyword: "type", params: { type: "string" } },
      ]).message,
    ).toBe("from: must be integer or string");
    // A deeper failure (inside an object branch) tells more than the other branch's type.
    expect(
      describeValidation(
        [
          { keyword: "type", instancePath: "/matchers/0", params: { type: "string" } },
          { keyword: "pattern", instancePath: "/matchers/0/name", message: "bad", params: {} },
          { keyword: "anyOf", instancePath: "/matchers/0", params: {} },
        ],
        "body",
      ).field,
    ).toBe("matchers[0].name");
  });

  it("says a field of another variant does not apply, and names a discriminator's tag", () => {
    const title = variantTitle("round shape", ["kind", "radius", "side"]);
    const unknownField = (field: string) =>
      describeValidation(
        [
          {
            keyword: "additionalProperties",
            instancePath: "/shape",
            params: { additionalProperty: field },
            parentSchema: { title },
          },
        ],
        "body",
      );
    expect(unknownField("side")).toEqual({
      field: "shape.side",
      message: "shape.side: does not apply to a round shape",
    });
    expect(unknownField("colour").message).toBe("shape.colour: is not a known field");
    expect(
      describeValidation(
        [{ keyword: "discriminator", instancePath: "", params: { tag: "kind" }, message: "x" }],
        "body",
      ).field,
    ).toBe("kind");
  });
});

describe("request times", () => {
  const now = Date.UTC(2026, 10, 23, 12);
  it("accepts RFC 3339, epoch ms as number or digits, and durations back from now", () => {
    expect(requestTime("2026-11-23T08:00:00Z", "from", now)).toBe(Date.UTC(2026, 10, 23, 8));
    expect(requestTime("2026-11-23T09:00:00+01:00", "from", now)).toBe(Date.UTC(2026, 10, 23, 8));
    expect(requestTime(1_795_000_000_000, "from", now)).toBe(1_795_000_000_000);
    expect(requestTime("1795000000000", "from", now)).toBe(1_795_000_000_000);
    expect(requestTime("6h", "from", now)).toBe(now - 6 * 3_600_000);
  });
  it("names the field of a bad time and of a reversed range", () => {
    expect(() => requestTime("tomorrow", "to", now)).toThrow(/^to: /);
    expect(() => requestTime(-5, "from", now)).toThrow(/^from: /);
    expect(() => timeRange("2026-11-24T00:00:00Z", "2026-11-23T00:00:00Z", 1, now)).toThrow(
      /^from: must be before to/,
    );
    expect(timeRange(undefined, undefined, 3_600_000, now)).toEqual({
      from: now - 3_600_000,
      to: now,
    });
    expect(() => timeRange("2026-11-24", undefined, 1, now)).toThrow(
      /^from: must be before to \(default: now\)/,
    );
    // Only `to`, near the epoch: the default span stops at 1970 (an empty range, not a 400).
    expect(timeRange(undefined, "0", 3_600_000, now)).toEqual({ from: 0, to: 0 });
  });
  it("refuses times outside what the store holds and forms the document does not list", () => {
    for (const value of [4_294_967_295_001, 1e300, 2 ** 53, 0.5, -1]) {
      expect(() => requestTime(value, "from", now), String(value)).toThrow(/^from: epoch/);
    }
    for (const value of ["2106-02-07T00:00:00Z", "1969-12-31", "6 h", " 6h", "00", "1e3"]) {
      expect(() => requestTime(value, "from", now), value).toThrow(/^from: .* must be an RFC 3339/);
    }
  });
});

describe("error catalogue", () => {
  it("gives every code a DW_ERR_ name and a 4xx or 5xx status", () => {
    for (const [code, entry] of Object.entries(API_ERRORS)) {
      expect(code).toMatch(/^DW_ERR_[A-Z_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
    }
  });
});
