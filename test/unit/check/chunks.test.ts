// Issue 18, item 5: the current file cut into chunks — boundaries, the partial last chunk, periods
// from RFC 3339 and epoch ms in UTC, out-of-order times, the JSON shape, views instead of copies,
// and every chunk's figures equal to comparing that chunk's rows as a file of their own.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parsePeriod, periodStart, periodIndex } from "../../../src/check/chunks/period.js";
import { parseRfc3339 } from "../../../src/check/chunks/timestamp.js";
import {
  checkExitCode,
  renderHtml,
  renderJson,
  renderTable,
  runCheck,
} from "../../../src/check/index.js";
import { readColumns } from "../../../src/check/read-columns.js";
import { CHECK_READ_OPTIONS } from "../../../src/check/read-options.js";

const directory = mkdtempSync(join(tmpdir(), "dw-chunks-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
function file(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

const reference = file(
  "reference.csv",
  "x,c\n" + Array.from({ length: 40 }, (_, i) => `${i % 10},${"ab"[i % 2]}`).join("\n") + "\n",
);

describe("--chunk-size", () => {
  it("cuts rows [0,n) into chunks of n, keeps a short last chunk as partial, and matches per-chunk files", async () => {
    const rows = Array.from(
      { length: 25 },
      (_, i) => `${i < 10 ? i : i + 50},${i < 10 ? "ab"[i % 2] : "z"}`,
    );
    const current = file("current.csv", `x,c\n${rows.join("\n")}\n`);
    const { report } = await runCheck({
      referencePath: reference,
      currentPath: current,
      chunks: { kind: "size", size: 10 },
    });
    const chunks = report.chunks!;
    expect(
      chunks.map(({ index, from_row, to_row, rows, start, end, partial }) => ({
        index,
        from_row,
        to_row,
        rows,
        start,
        end,
        partial,
      })),
    ).toEqual([
      { index: 0, from_row: 0, to_row: 10, rows: 10, start: null, end: null, partial: undefined },
      { index: 1, from_row: 10, to_row: 20, rows: 10, start: null, end: null, partial: undefined },
      { index: 2, from_row: 20, to_row: 25, rows: 5, start: null, end: null, partial: true },
    ]);
    expect(chunks[0]!.drifted).toBe(false);
    expect(chunks[1]!.drifted).toBe(true);
    // Each chunk equals a check of that chunk's rows alone.
    for (const [index, chunk] of chunks.entries()) {
      const alone = file(
        `alone-${index}.csv`,
        `x,c\n${rows.slice(chunk.from_row, chunk.to_row).join("\n")}\n`,
      );
      const single = await runCheck({ referencePath: reference, currentPath: alone });
      expect(chunk.columns).toEqual(single.report.columns);
      expect(chunk.drift_share).toBe(single.report.drift_share);
    }
    // The whole-file figures are those without chunks.
    const whole = await runCheck({ referencePath: reference, currentPath: current });
    expect(report.columns).toEqual(whole.report.columns);
    expect(checkExitCode(report)).toBe(1);
    const document = JSON.parse(renderJson(report)) as { chunks: Record<string, unknown>[] };
    expect(Object.keys(document.chunks[2]!).sort()).toEqual(
      [
        "index",
        "from_row",
        "to_row",
        "start",
        "end",
        "rows",
        "columns",
        "drift_share",
        "drifted",
        "partial",
      ].sort(),
    );
    expect("partial" in document.chunks[0]!).toBe(false);
    expect(renderTable(report)).toMatch(/^2 +20 +25 \(partial\) +5 /m);
  });

  it("exits 1 when only a chunk drifted, and draws a heatmap and per-column chunk charts", async () => {
    const rows = Array.from({ length: 40 }, (_, i) =>
      i >= 30 ? `${100 + i},a` : `${i % 10},${"ab"[i % 2]}`,
    );
    const current = file("one-bad-chunk.csv", `x,c\n${rows.join("\n")}\n`);
    const outcome = await runCheck({
      referencePath: reference,
      currentPath: current,
      chunks: { kind: "size", size: 10 },
      histograms: true,
    });
    expect(outcome.report.chunks!.map((chunk) => chunk.drifted)).toEqual([
      false,
      false,
      false,
      true,
    ]);
    expect(checkExitCode(outcome.report)).toBe(1);
    const html = renderHtml(outcome);
    expect(html).toContain('class="heatmap"');
    expect(html.match(/<rect class="cell /g)).toHaveLength(8);
    expect(html).toContain('class="threshold"');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it("keeps one copy of the values: chunk views share the column's buffer", async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `${i},${i % 3}`);
    const path = file("views.csv", `x,c\n${rows.join("\n")}\n`);
    const read = await readColumns(path, "current", {
      modeFor: () => "infer",
      options: CHECK_READ_OPTIONS,
      chunks: { kind: "size", size: 100 },
    });
    const column = read.columns.get("x")!;
    expect(column.chunks).toHaveLength(10);
    for (const chunk of column.chunks!) expect(chunk.values.buffer).toBe(column.values.buffer);
  });
});

describe("--chunk-by with --chunk-period", () => {
  it("reads RFC 3339 (offsets too) and epoch ms in UTC, orders chunks by time, skips empty periods", async () => {
    const day = 86_400_000;
    const jan1 = Date.UTC(2026, 0, 1);
    const rows = [
      "2026-01-03T10:00:00Z,1,a", // out of order: day 3 first
      "2026-01-01T00:00:00Z,2,b",
      `${jan1 + 5 * 3_600_000},3,a`, // epoch ms, day 1
      "2026-01-02T01:30:00+02:00,4,b", // 2026-01-01T23:30Z: day 1
      ",5,a", // no time: whole file only
      `${jan1 + 2 * day + 1},6,b`, // day 3
    ];
    const current = file("timed.csv", `ts,x,c\n${rows.join("\n")}\n`);
    const outcome = await runCheck({
      referencePath: reference,
      currentPath: current,
      chunks: { kind: "period", column: "ts", period: parsePeriod("1d") },
    });
    const chunks = outcome.report.chunks!;
    expect(
      chunks.map(({ index, start, end, rows, from_row, to_row }) => ({
        index,
        start,
        end,
        rows,
        from_row,
        to_row,
      })),
    ).toEqual([
      {
        index: 0,
        start: "2026-01-01T00:00:00.000Z",
        end: "2026-01-02T00:00:00.000Z",
        rows: 3,
        from_row: 1,
        to_row: 4,
      },
      {
        index: 1,
        start: "2026-01-03T00:00:00.000Z",
        end: "2026-01-04T00:00:00.000Z",
        rows: 2,
        from_row: 0,
        to_row: 6,
      },
    ]);
    expect(Object.keys(outcome.report.columns)).toEqual(["x", "c"]); // the time column is no feature
    expect(chunks[0]!.columns.x).toMatchObject({ n_current: 3, missing_current: 0 });
    expect(outcome.report.columns.x).toMatchObject({ n_current: 6 });
    expect(outcome.warnings.join("\n")).toMatch(
      /1 row\(s\) of the current file have no --chunk-by value/,
    );
    // Out-of-order rows were regrouped: chunk 1 holds x = 1 and 6.
    const again = await runCheck({
      referencePath: reference,
      currentPath: file("day3.csv", "x,c\n1,a\n6,b\n"),
    });
    expect(chunks[1]!.columns).toEqual(again.report.columns);
  });

  it("reads JSONL times (strings and numbers) and refuses a value that is not a time", async () => {
    const current = file(
      "timed.jsonl",
      '{"t":"2026-03-01T12:00:00Z","x":1}\n{"t":1772409600000,"x":2}\n{"t":null,"x":3}\n',
    );
    const reference = file("ref.jsonl", '{"x":1}\n{"x":2}\n{"x":3}\n');
    const outcome = await runCheck({
      referencePath: reference,
      currentPath: current,
      chunks: { kind: "period", column: "t", period: parsePeriod("12h") },
    });
    expect(outcome.report.chunks!.map((chunk) => [chunk.start, chunk.rows])).toEqual([
      ["2026-03-01T12:00:00.000Z", 1],
      ["2026-03-02T00:00:00.000Z", 1],
    ]);
    const bad = file("bad-time.jsonl", '{"t":"yesterday","x":1}\n');
    await expect(
      runCheck({
        referencePath: reference,
        currentPath: bad,
        chunks: { kind: "period", column: "t", period: parsePeriod("1d") },
      }),
    ).rejects.toThrow(/bad-time\.jsonl: line 1: --chunk-by column "t": "yesterday" is not a time/);
  });

  it("parses periods and RFC 3339 strictly; whole weeks start on Mondays", () => {
    expect(parsePeriod("1h30m").milliseconds).toBe(5_400_000);
    for (const bad of ["", "1", "d", "0d", "1y", "1.5h", "-1d"])
      expect(() => parsePeriod(bad)).toThrow(/--chunk-period/);
    const week = parsePeriod("1w");
    const thursday = Date.UTC(2026, 0, 1); // 2026-01-01 is a Thursday
    expect(new Date(periodStart(week, periodIndex(week, thursday))).toISOString()).toBe(
      "2025-12-29T00:00:00.000Z",
    );
    expect(parseRfc3339("2026-02-29T00:00:00Z")).toBeNull();
    expect(parseRfc3339("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
    expect(parseRfc3339("2026-01-01T00:00:00.123456-01:00")).toBe(
      Date.UTC(2026, 0, 1, 1, 0, 0, 123),
    );
    expect(parseRfc3339("2026-13-01")).toBeNull();
    expect(parseRfc3339("0001-01-01T00:00:00Z")).toBe(-62135596800000);
  });
});
