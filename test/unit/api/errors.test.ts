// How schema-validation issues become the `field` and message of a 400, and request times.
import { describe, expect, it } from "vitest";
import { describeValidation } from "../../../src/api/error-handler.js";
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
