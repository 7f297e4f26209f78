// JSONEachRow encoding for inserts and the parsing/classification of ClickHouse error replies.
import { describe, expect, it } from "vitest";
import { encodeJsonEachRow } from "../../../src/store/json-each-row.js";
import {
  ClickHouseQueryError,
  ClickHouseUnavailableError,
  isRetryableStoreError,
  parseServerError,
  serverError,
} from "../../../src/store/errors.js";

describe("encodeJsonEachRow", () => {
  it("writes one JSON object per line for plain rows", () => {
    expect(
      encodeJsonEachRow([
        { a: 1, b: "x" },
        { a: 2, b: null, c: [1, 2] },
      ]),
    ).toBe('{"a":1,"b":"x"}\n{"a":2,"b":null,"c":[1,2]}\n');
  });

  it("turns Dates into epoch seconds and non-finite numbers into nan/inf", () => {
    const text = encodeJsonEachRow([
      { ts: new Date("2026-11-23T08:00:00.999Z"), f: Number.NaN, g: [1, Infinity, -Infinity] },
    ]);
    expect(text).toBe('{"ts":1795420800,"f":"nan","g":[1,"inf","-inf"]}\n');
  });

  it("writes byte arrays as raw bytes, escaping only quote, backslash and control bytes", () => {
    const bytes = Buffer.from([0xff, 0x22, 0x5c, 0x00, 0x41, 0x0a]);
    const encoded = encodeJsonEachRow([{ raw: bytes, n: 1 }]);
    expect(Buffer.isBuffer(encoded)).toBe(true);
    expect([...(encoded as Buffer)]).toEqual([
      ...Buffer.from('{"raw":"'),
      0xff,
      0x5c,
      0x22,
      0x5c,
      0x5c,
      ...Buffer.from("\\u0000A\\u000a"),
      ...Buffer.from('","n":1}\n'),
    ]);
  });

  it("skips undefined fields like JSON.stringify", () => {
    expect(encodeJsonEachRow([{ a: undefined, b: new Date(0) }])).toBe('{"b":0}\n');
  });
});

describe("ClickHouse error replies", () => {
  it("reads the code from 18.16's and current releases' formats", () => {
    expect(
      parseServerError(
        "Code: 60, e.displayText() = DB::Exception: Table x.y doesn't exist., e.what() = DB::Exception\n",
      ),
    ).toEqual({ code: 60, message: "DB::Exception: Table x.y doesn't exist." });
    expect(
      parseServerError("Code: 60. DB::Exception: Table x.y does not exist. (UNKNOWN_TABLE)").code,
    ).toBe(60);
  });

  it("classifies overload and timeouts as retryable, bad statements as not", () => {
    const busy = serverError(
      500,
      "Code: 202, e.displayText() = DB::Exception: Too many simultaneous queries",
      "SELECT 1",
    );
    expect(busy).toBeInstanceOf(ClickHouseUnavailableError);
    expect(isRetryableStoreError(busy)).toBe(true);
    const proxyDown = serverError(502, "Bad Gateway", "SELECT 1");
    expect(proxyDown).toBeInstanceOf(ClickHouseUnavailableError);
    const syntax = serverError(400, "Code: 62. DB::Exception: Syntax error", "SELEC 1");
    expect(syntax).toBeInstanceOf(ClickHouseQueryError);
    expect(syntax.code).toBe(62);
    expect(isRetryableStoreError(syntax)).toBe(false);
    expect(isRetryableStoreError(new Error("other"))).toBe(false);
  });
});
