// The test helper's reproduction of Grafana's variable interpolation and of the ClickHouse
// plugin's macro expansion, checked against the expansions in the plugin's own tests
// (grafana/clickhouse-datasource v4.20.0, pkg/macros/macros_test.go: 2014-11-12T11:45:26.123Z to
// 2015-11-12T11:45:26.456Z, interval 1 minute).
import { describe, expect, it } from "vitest";
import { expandClickHouseMacros, interpolateVariables, type Variable } from "./grafana.js";

const range = {
  from: Date.parse("2014-11-12T11:45:26.123Z"),
  to: Date.parse("2015-11-12T11:45:26.456Z"),
  intervalMs: 60_000,
};

describe("ClickHouse plugin macros", () => {
  const cases: [string, string][] = [
    [
      "select * from foo where $__timeFilter(cast(sth as timestamp) )",
      "select * from foo where cast(sth as timestamp) >= toDateTime(1415792726) AND cast(sth as timestamp) <= toDateTime(1447328726)",
    ],
    [
      "select * from foo where ( date >= $__fromTime and date <= $__toTime ) limit 100",
      "select * from foo where ( date >= toDateTime(1415792726) and date <= toDateTime(1447328726) ) limit 100",
    ],
    [
      "SELECT $__timeInterval($__fromTime) AS from_time",
      "SELECT toStartOfInterval(toDateTime(toDateTime(1415792726)), INTERVAL 60 second) AS from_time",
    ],
    [
      "select * from foo where $__timeFilter(coalesce(closed_at, $__toTime))",
      "select * from foo where coalesce(closed_at, toDateTime(1447328726)) >= toDateTime(1415792726) AND coalesce(closed_at, toDateTime(1447328726)) <= toDateTime(1447328726)",
    ],
  ];
  for (const [input, output] of cases) {
    it(`expands ${input}`, () => {
      expect(expandClickHouseMacros(input, range)).toBe(output);
    });
  }

  it("leaves macro-like text inside string literals alone", () => {
    expect(expandClickHouseMacros("SELECT '$__fromTime', $__fromTime", range)).toBe(
      "SELECT '$__fromTime', toDateTime(1415792726)",
    );
  });

  it("refuses macros it does not reproduce and wrong argument counts", () => {
    expect(() => expandClickHouseMacros("SELECT $__conditionalAll(a, b)", range)).toThrow(
      /conditionalAll/,
    );
    expect(() => expandClickHouseMacros("WHERE $__timeFilter(a, b)", range)).toThrow(
      /expected 1 argument/,
    );
  });

  it("uses at least one second for $__timeInterval", () => {
    expect(expandClickHouseMacros("$__timeInterval(ts)", { ...range, intervalMs: 20 })).toBe(
      "toStartOfInterval(toDateTime(ts), INTERVAL 1 second)",
    );
  });
});

describe("Grafana variable interpolation", () => {
  const variables: Variable[] = [
    { name: "model", type: "query" },
    { name: "instance", type: "query", multi: true, includeAll: true, allValue: ".*" },
  ];

  it("quotes :sqlstring values, doubling single quotes", () => {
    expect(
      interpolateVariables("f = ${model:sqlstring}", variables, { model: "o'clock" }, "clickhouse"),
    ).toBe("f = 'o''clock'");
  });

  it("formats ClickHouse multi-values as a quoted list and leaves $__ macros alone", () => {
    expect(
      interpolateVariables(
        "m IN ($model) AND $__timeFilter(ts)",
        variables,
        { model: ["a", "b"] },
        "clickhouse",
      ),
    ).toBe("m IN ('a','b') AND $__timeFilter(ts)");
  });

  it("regex-escapes Prometheus multi-value variables and uses allValue for All", () => {
    const escaped = interpolateVariables(
      'up{instance=~"$instance"}',
      variables,
      { instance: "127.0.0.1:9" },
      "prometheus",
    );
    expect(escaped).toBe('up{instance=~"127\\\\.0\\\\.0\\\\.1:9"}');
    expect(
      interpolateVariables(
        '{instance=~"$instance"}',
        variables,
        { instance: "$__all" },
        "prometheus",
      ),
    ).toBe('{instance=~".*"}');
  });

  it("rejects variables the dashboard does not define", () => {
    expect(() => interpolateVariables("${feature}", variables, {}, "clickhouse")).toThrow(
      /not a variable/,
    );
  });
});
