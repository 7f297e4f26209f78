// How store failures are classified from ClickHouse's own replies (18.16 and current texts): an
// outage is retried, rows at fault are isolated, a refused statement waits for an operator.
import { describe, expect, it } from "vitest";
import {
  failureKindOfCode,
  isOutage,
  rejectsRows,
  serverError,
} from "../../../src/store/errors.js";
import { insertIsolatingRejected } from "../../../src/store/isolate-rejected.js";
import { ClickHouseQueryError, ClickHouseUnavailableError } from "../../../src/store/index.js";

describe("ClickHouse failure kinds", () => {
  it.each([
    // Replies seen from ClickHouse 18.16 over HTTP.
    [
      400,
      "Code: 25, e.displayText() = DB::Exception: Cannot parse escape sequence: missing second part of surrogate pair",
      "parse",
    ],
    [
      400,
      "Code: 26, e.displayText() = DB::Exception: Cannot parse JSON string: expected opening quote",
      "parse",
    ],
    [
      500,
      "Code: 33, e.displayText() = DB::Exception: Cannot read all data. Bytes read: 3.",
      "parse",
    ],
    [
      500,
      "Code: 395, e.displayText() = DB::Exception: Value passed to 'throwIf' function is non zero",
      "check",
    ],
    [500, "Code: 131. DB::Exception: Too large string size.", "size"],
    [500, "Code: 53. DB::Exception: Type mismatch in IN or VALUES section.", "type"],
    [
      404,
      "Code: 60, e.displayText() = DB::Exception: Table db.predictions doesn't exist.",
      "refused",
    ],
    [
      500,
      "Code: 117, e.displayText() = DB::Exception: Unknown field found while parsing JSONEachRow format: zz",
      "refused",
    ],
    [500, "Code: 241. DB::Exception: Memory limit (total) exceeded", "memory"],
    [
      500,
      "Code: 252. DB::Exception: Too many parts (300). Merges are processing significantly slower than inserts",
      "overload",
    ],
    [
      500,
      "Code: 252. DB::Exception: Too many partitions for single INSERT block (more than 100).",
      "size",
    ],
    [500, "Code: 159. DB::Exception: Timeout exceeded: elapsed 30 seconds", "timeout"],
    [502, "Bad Gateway", "connection"],
    [500, "Code: 62. DB::Exception: Syntax error: failed at position 1", "refused"],
  ] as const)("HTTP %i %s → %s", (status, body, kind) => {
    const error = serverError(status, body, "INSERT INTO t FORMAT JSONEachRow");
    expect(error.kind).toBe(kind);
    expect(rejectsRows(error)).toBe(["parse", "type", "size", "check"].includes(kind));
    expect(isOutage(error)).toBe(["connection", "timeout", "overload", "memory"].includes(kind));
    expect(error.retryable).toBe(isOutage(error));
  });

  it("treats an unknown code as refused (an operator looks), never as the rows' fault", () => {
    expect(failureKindOfCode(99_999)).toBe("refused");
    expect(failureKindOfCode(undefined)).toBe("refused");
  });
});

describe("insertIsolatingRejected", () => {
  const refused = () => new ClickHouseQueryError("bad row", 27, { kind: "parse" });

  /** Rows as numbers; negative ones are refused by the "server". */
  async function run(rows: number[], failOnce?: number) {
    const calls: [number, number][] = [];
    const stored: number[] = [];
    const rejected: number[] = [];
    const events: string[] = [];
    let outage = failOnce;
    await insertIsolatingRejected(
      rows.length,
      async (from, to) => {
        calls.push([from, to]);
        if (outage !== undefined && from === outage) {
          outage = undefined;
          throw new ClickHouseUnavailableError("down");
        }
        if (rows.slice(from, to).some((row) => row < 0)) throw refused();
        stored.push(...rows.slice(from, to));
        events.push(`stored ${from}-${to}`);
      },
      ({ index, error }) => {
        expect(error.kind).toBe("parse");
        rejected.push(index);
        events.push(`rejected ${index}`);
      },
    ).catch((error: unknown) => events.push(`threw ${(error as Error).message}`));
    return { calls, stored, rejected, events };
  }

  it("inserts once when nothing is refused", async () => {
    const { calls, stored } = await run([1, 2, 3, 4]);
    expect(calls).toEqual([[0, 4]]);
    expect(stored).toEqual([1, 2, 3, 4]);
  });

  it("finds each refused row, stores every other one, and keeps ascending order", async () => {
    const rows = Array.from({ length: 100 }, (_, i) => (i === 7 || i === 63 ? -i : i));
    const { stored, rejected, events } = await run(rows);
    expect(rejected).toEqual([7, 63]);
    expect(stored).toEqual(rows.filter((row) => row >= 0));
    // Nothing after a refused row is stored before that row is reported.
    const positions = events.map((event) => Number(/(\d+)(?:-\d+)?$/.exec(event)![1]));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(events.length).toBeLessThan(40);
  });

  it("lets any other failure through to the caller's retry", async () => {
    const { events, stored } = await run([1, -2, 3, 4], 0);
    expect(events).toEqual(["threw down"]);
    expect(stored).toEqual([]);
  });
});
