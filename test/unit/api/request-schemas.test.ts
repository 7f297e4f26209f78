// The request schemas say exactly what the server takes: the time forms and their bounds agree
// with the parser of request times, the silence matcher pattern with the alerts module's parser,
// and the validators take JSON bodies as sent while still reading numbers in query strings.
import fc from "fast-check";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { parseMatcher } from "../../../src/util/label-matchers.js";
import { MATCHER_TEXT_PATTERN } from "../../../src/api/schemas/matchers.js";
import { decimalAtMost, MAX_TIME_MS, timeText, timeValue } from "../../../src/api/schemas/times.js";
import { requestTime } from "../../../src/api/time-values.js";
import { stubApp } from "./stub-app.js";
import { AUTH_YAML, bearer, TOKENS } from "../../support/tokens.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false }));
const NOW = Date.UTC(2026, 10, 23, 12);

/** Whether requestTime takes `value` (it throws a 400 otherwise). */
function parses(value: string | number): boolean {
  try {
    requestTime(value, "from", NOW);
    return true;
  } catch {
    return false;
  }
}

describe("time values", () => {
  const textSchema = ajv.compile(timeText("t"));
  const valueSchema = ajv.compile(timeValue());

  it("matches the decimal integers up to a bound, without leading zeros", () => {
    for (const max of [0, 1, 9, 10, 19, 20, 99, 100, 101, 909, 1_000, 4_294, 65_535]) {
      const pattern = new RegExp(`^${decimalAtMost(max)}$`);
      for (let value = 0; value <= max + 120; value++) {
        expect(pattern.test(String(value)), `${value} ≤ ${max}`).toBe(value <= max);
      }
      expect(pattern.test(`0${max}`)).toBe(false);
    }
    const pattern = new RegExp(`^${decimalAtMost(MAX_TIME_MS)}$`);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 14n }), (value) => {
        expect(pattern.test(String(value))).toBe(value <= BigInt(MAX_TIME_MS));
      }),
    );
  });

  it("documents exactly the text the server reads as a time", () => {
    const accepted = [
      "2026-11-23T08:00:00Z",
      "2026-11-23T08:00:00.123456789+05:30",
      "1970-01-01T00:00:00Z",
      "2105-12-31T23:59:59-23:59",
      "2026-11-23",
      "2024-02-29",
      "0",
      "1795392000000",
      String(MAX_TIME_MS),
      "90s",
      "999999999s",
      "15m",
      "6h",
      "7d",
      "999w",
    ];
    const refused = [
      "",
      " 6h",
      "6 h",
      "6H",
      "1000w",
      "yesterday",
      "-1",
      "007",
      "1e3",
      String(MAX_TIME_MS + 1),
      "9999999999999999999999",
      "2026-11-23 08:00:00Z",
      "2026-11-23t08:00:00z",
      "2026-11-23T08:00:00",
      "2026-11-23T08:00:60Z",
      "2026-02-30",
      "2023-02-29T00:00:00Z",
      "1969-12-31T23:59:59Z",
      "2106-01-01T00:00:00Z",
      "0001-01-01",
    ];
    for (const text of accepted) {
      expect({ text, documented: textSchema(text), parsed: parses(text) }).toEqual({
        text,
        documented: true,
        parsed: true,
      });
    }
    for (const text of refused) {
      expect({ text, documented: textSchema(text), parsed: parses(text) }).toEqual({
        text,
        documented: false,
        parsed: false,
      });
    }
  });

  it("agrees with the parser on generated text and numbers", () => {
    const pieces = ["0", "1", "2", "9", "19", "20", "21", "-", ":", "T", "Z", "z", "t", " "];
    const digits = fc.array(fc.constantFrom(...pieces, "s", "h", "w", ".", "+"), { maxLength: 26 });
    const date = fc
      .tuple(
        fc.integer({ min: 0, max: 2200 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(([year, month, day]) =>
        [year, month, day].map((part, index) => String(part).padStart(index === 0 ? 4 : 2, "0")),
      );
    const text = fc.oneof(
      digits.map((parts) => parts.join("")),
      date.map((parts) => parts.join("-")),
      fc
        .tuple(date, fc.constantFrom("T08:00:00Z", "T23:59:59.5+01:00", "T00:00:00-00:00"))
        .map(([parts, time]) => `${parts.join("-")}${time}`),
    );
    fc.assert(
      fc.property(text, (value) => {
        expect(textSchema(value), JSON.stringify(value)).toBe(parses(value));
      }),
      { numRuns: 5_000 },
    );
    const number = fc.oneof(
      fc.integer({ min: -10, max: 10 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(MAX_TIME_MS, MAX_TIME_MS + 1, 2 ** 53, 1e300, 0.5),
    );
    fc.assert(
      fc.property(number, (value) => {
        expect(valueSchema(value), String(value)).toBe(parses(value));
      }),
    );
  });

  it("counts a date-time of 1970-01-01 that its offset puts before the epoch as the epoch", () => {
    expect(requestTime("1970-01-01T00:30:00+01:00", "from", NOW)).toBe(0);
    expect(requestTime("2026-11-23", "from", NOW)).toBe(Date.UTC(2026, 10, 23));
    expect(requestTime("999999999s", "from", NOW)).toBeGreaterThan(0);
  });
});

describe("the silence matcher pattern", () => {
  const pattern = new RegExp(MATCHER_TEXT_PATTERN, "u");
  /** Refusals of the parser no pattern expresses (documented as 400s of their own). */
  const BEYOND_PATTERNS = /the value is \d+ characters|invalid regex|the text is \d+ characters/;
  const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

  it("accepts the matchers of the docs and refuses what is not one", () => {
    for (const text of [
      "model=credit-risk",
      'model=~"credit-.*"',
      " severity != page ",
      "a=",
      "a=~",
      'a="x\\"y"',
      "a= ~b",
      "a=b\n",
    ]) {
      expect(pattern.test(text), JSON.stringify(text)).toBe(true);
    }
    for (const text of ["0", "model", "=credit-risk", "9a=b", 'a="x', "a=b\nc", 'a="\\ud800"']) {
      expect(pattern.test(text), JSON.stringify(text)).toBe(false);
    }
  });

  it("agrees with parseMatcher, but for values too long, regexes RE2 refuses and lone surrogates", () => {
    const space = fc
      .array(fc.constantFrom(" ", "\t", "\n", "\u2028", "\u00a0", "\ufeff", "\u0085", "\u000b"), {
        maxLength: 3,
      })
      .map((parts) => parts.join(""));
    const name = fc.constantFrom(
      "a",
      "model",
      "_x9",
      "9a",
      "",
      "a-b",
      "a".repeat(128),
      "b".repeat(129),
    );
    const op = fc.constantFrom("=", "!=", "=~", "!~", "==", "~", "!", "");
    const value = fc
      .array(
        fc.constantFrom(
          ...["x", "~", '"', "\\", "\\u", "d83d", "DE00", "0041", "n", " ", "\n", "\r", "é"],
          ...["😀", "\u0001", "\u2029", '\\"', "\\n", "(", ".*"],
        ),
        { maxLength: 8 },
      )
      .map((parts) => parts.join(""));
    const text = fc.oneof(
      fc.tuple(space, name, space, op, space, value, space).map((parts) => parts.join("")),
      fc.string({ unit: "binary", maxLength: 12 }),
    );
    fc.assert(
      fc.property(text, (candidate) => {
        let parsed: string | undefined;
        let refusal = "";
        try {
          parsed = parseMatcher(candidate).value;
        } catch (error) {
          refusal = (error as Error).message;
        }
        if (pattern.test(candidate)) {
          expect(refusal === "" || BEYOND_PATTERNS.test(refusal), refusal).toBe(true);
          if (parsed !== undefined) expect(LONE_SURROGATE.test(parsed)).toBe(false);
        } else if (parsed !== undefined) {
          // Refused by the pattern alone: a JSON-quoted value escaping half a surrogate pair.
          expect(LONE_SURROGATE.test(parsed), JSON.stringify(candidate)).toBe(true);
        }
      }),
      { numRuns: 20_000 },
    );
  });
});

describe("request validation", () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  const writer = { ...bearer(TOKENS.writer), "content-type": "application/json" };

  it("takes JSON bodies as sent: another type than declared is a 400 naming the field", async () => {
    app = await stubApp(AUTH_YAML);
    const cases: [string, string, unknown, string][] = [
      ["POST", "/api/v1/models/credit-risk/versions", { version: 7 }, "version"],
      ["POST", "/api/v1/models/credit-risk/versions", { version: ["x"] }, "version"],
      ["POST", "/api/v1/models/credit-risk/versions", { version: null }, "version"],
      [
        "PUT",
        "/api/v1/models/credit-risk/versions/2/reference",
        { kind: "rolling", days: "7" },
        "days",
      ],
      [
        "PUT",
        "/api/v1/models/credit-risk/versions/2/reference",
        { kind: "rolling", days: true },
        "days",
      ],
      ["POST", "/api/v1/silences", { matchers: "model=a", comment: "c" }, "matchers"],
      ["POST", "/api/v1/silences", { matchers: ["model=a"], comment: 5 }, "comment"],
      ["POST", "/api/v1/silences", { matchers: ["model=a"], comment: " \t" }, "comment"],
      ["POST", "/api/v1/models/credit-risk/evaluate", { from: "1", to: true }, "to"],
      ["POST", "/api/v1/models/credit-risk/evaluate", null, "body"],
    ];
    for (const [method, url, body, field] of cases) {
      const response = await app.inject({
        method: method as "POST" | "PUT",
        url,
        headers: writer,
        payload: JSON.stringify(body),
      });
      const label = `${method} ${url} ${JSON.stringify(body)}: ${response.body}`;
      expect(response.statusCode, label).toBe(400);
      expect(response.json(), label).toMatchObject({ error: { code: "DW_ERR_VALIDATION", field } });
    }
  });

  it("names the reference kind's fields and times in plain words", async () => {
    app = await stubApp(AUTH_YAML);
    const put = (payload: unknown) =>
      app!.inject({
        method: "PUT",
        url: "/api/v1/models/credit-risk/versions/2/reference",
        headers: writer,
        payload: JSON.stringify(payload),
      });
    const answers = [
      [await put({ days: 7 }), "kind", "kind: is required"],
      [await put({ kind: "weekly" }), "kind", "kind: must be one of fixed, rolling, dataset"],
      [
        await put({ kind: "fixed", from: 1, to: 2, days: 7 }),
        "days",
        "days: does not apply to a fixed reference",
      ],
      [await put({ kind: "rolling", days: 0.5 }), "days", "days: must be integer"],
      [await put({ kind: "rolling", days: 3651 }), "days", "days: must be <= 3650"],
      [
        await put({ kind: "fixed", from: "soon", to: 2 }),
        "from",
        "from: must be an RFC 3339 date-time",
      ],
      [await put({ kind: "fixed", from: false, to: 2 }), "from", "from: must be integer or string"],
    ] as const;
    for (const [response, field, message] of answers) {
      expect(response.statusCode, response.body).toBe(400);
      const { error } = response.json() as { error: { field: string; message: string } };
      expect(error.field).toBe(field);
      expect(error.message).toContain(message);
    }
  });
});
