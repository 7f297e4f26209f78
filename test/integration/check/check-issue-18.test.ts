// `driftwatch check` as data scientists use it (issue 18): NA spellings, 19.0 vs 19, ; tab and |
// files, output paths checked before any reading, limits with exit 2 and no stack trace, non-finite
// numbers alike in CSV and JSONL, 200,000 columns, and chunks (--chunk-size, --chunk-by) end to end.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.js";

const directory = mkdtempSync(join(tmpdir(), "dw-check-18-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

/** Deterministic values in [0, 1). */
function series(count: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  });
}

const NO_TRACE = /unexpected error|at .*\.js:\d+|RangeError/;

interface Document {
  columns: Record<string, Record<string, unknown>>;
  drifted: boolean;
  chunks?: Record<string, unknown>[];
}

describe("input conventions (CLI)", () => {
  it("NA, nan and None cells are missing: a clean numeric column stays numeric, no drift", async () => {
    const values = series(400, 7).map((v) => (v * 100).toFixed(2));
    const reference = file("na-ref.csv", `x\n${values.join("\n")}\n`);
    const spellings = ["NA", "nan", "None", "N/A", "NULL", "#N/A", "NaN", "null"];
    const current = file(
      "na-cur.csv",
      `x\n${values.map((v, i) => (i % 10 === 0 ? spellings[(i / 10) % spellings.length] : v)).join("\n")}\n`,
    );
    const run = await runCli(["check", "-r", reference, "-c", current, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as Document;
    expect(document.columns.x).toMatchObject({
      kind: "numeric",
      missing_current: 40,
      n_current: 360,
      drifted: false,
    });
    const table = await runCli(["check", "-r", reference, "-c", current]);
    expect(table.stdout).toMatch(/^x +numeric .* 0 +40 \(10%\)$/m);
  });

  it("with --categorical, 19.0 in one file and 19 in the other are one category", async () => {
    const reference = file("cat-ref.csv", `age\n${"19\n20\n".repeat(50)}`);
    const current = file("cat-cur.csv", `age\n${"19.0\n20.0\n".repeat(50)}`);
    const run = await runCli([
      "check",
      "-r",
      reference,
      "-c",
      current,
      "--categorical",
      "age",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const age = (JSON.parse(run.stdout) as Document).columns.age!;
    expect(age).toMatchObject({ kind: "categorical", js: 0, drifted: false });
    expect(age.counts).toEqual({
      reference: { "19": 50, "20": 50 },
      current: { "19": 50, "20": 50 },
    });
  });

  it("reads ; tab and | separated files (detected) and --delimiter", async () => {
    const rows = series(60, 3).map((v, i) => [(v * 10).toFixed(3), i % 2 ? "a" : "b"]);
    const reference = file("d-ref.csv", `x,c\n${rows.map((r) => r.join(",")).join("\n")}\n`);
    for (const [name, delimiter] of [
      ["semicolon", ";"],
      ["tab", "\t"],
      ["pipe", "|"],
    ] as const) {
      const current = file(
        `d-${name}.csv`,
        `x${delimiter}c\n${rows.map((r) => r.join(delimiter)).join("\n")}\n`,
      );
      const run = await runCli(["check", "-r", reference, "-c", current, "--json"]);
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      expect(Object.keys((JSON.parse(run.stdout) as Document).columns)).toEqual(["x", "c"]);
    }
    const forced = await runCli([
      "check",
      "-r",
      reference,
      "-c",
      join(directory, "d-pipe.csv"),
      "--delimiter",
      "|",
    ]);
    // Read with |, the comma reference has one column "x,c": nothing in common, and a hint.
    expect(forced.code).toBe(2);
    expect(forced.stderr).toMatch(
      /no columns in common: the reference file has "x,c".*give --delimiter/,
    );
  });

  it("non-finite numbers make a column 'not computable: non-finite values' in CSV and JSONL alike", async () => {
    const csvRef = file("inf-ref.csv", "x,y\n1,1\n2,2\n3,3\n");
    const csvCur = file("inf-cur.csv", "x,y\n1e400,1\n2,2\n3,3\n");
    const jsonRef = file("inf-ref.jsonl", '{"x":1,"y":1}\n{"x":2,"y":2}\n{"x":3,"y":3}\n');
    const jsonCur = file("inf-cur.jsonl", '{"x":1e400,"y":1}\n{"x":2,"y":2}\n{"x":3,"y":3}\n');
    const reasons: unknown[] = [];
    for (const [reference, current] of [
      [csvRef, csvCur],
      [jsonRef, jsonCur],
    ]) {
      const run = await runCli(["check", "-r", reference!, "-c", current!, "--json"]);
      expect(run.code, run.stderr).toBe(0);
      const x = (JSON.parse(run.stdout) as Document).columns.x!;
      expect(x).toMatchObject({
        computable: false,
        kind: "numeric",
        n_current: 3,
        missing_current: 0,
      });
      expect(x.reason).toMatch(/^non-finite values/);
      reasons.push(x);
    }
    expect(reasons[0]).toEqual(reasons[1]);
  });
});

describe("limits and output paths (exit 2, a message, no stack trace)", () => {
  it("--html in a missing directory fails at once, before the inputs are read", async () => {
    // The current file is broken: had it been read, that would be the error.
    const run = await runCli([
      "check",
      "-r",
      file("ok.csv", "a\n1\n"),
      "-c",
      file("broken.csv", 'a\n"never closed\n'),
      "--html",
      join(directory, "missing-dir", "report.html"),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--html .*missing-dir\/report\.html: the directory .*missing-dir does not exist; nothing was read/,
    );
    expect(run.stderr).not.toMatch(/never closed|broken\.csv/);
    expect(run.stdout).toBe("");
  });

  it("--max-columns, --max-line-bytes and bad flag values", async () => {
    const wide = file(
      "wide.csv",
      `${Array.from({ length: 50 }, (_, i) => `c${i}`).join(",")}\n${"1,".repeat(49)}1\n`,
    );
    const cases: [string[], RegExp][] = [
      [
        ["-r", wide, "-c", wide, "--max-columns", "10"],
        /wide\.csv: line 1: more than 10 columns \(--max-columns\)/,
      ],
      [
        ["-r", wide, "-c", wide, "--max-line-bytes", "64"],
        /wide\.csv: line 1: a record longer than 64 bytes/,
      ],
      [
        ["-r", wide, "-c", wide, "--max-columns", "ten"],
        /--max-columns: "ten" is not a positive whole number/,
      ],
      [["-r", wide, "-c", wide, "--delimiter", "ab"], /--delimiter: "ab" is not a delimiter/],
      [
        ["-r", wide, "-c", wide, "--chunk-size", "0"],
        /--chunk-size: "0" is not a positive whole number/,
      ],
      [["-r", wide, "-c", wide, "--chunk-by", "c0"], /--chunk-by needs --chunk-period/],
      [
        ["-r", wide, "-c", wide, "--chunk-by", "c0", "--chunk-period", "1y"],
        /--chunk-period: "1y" is not a period/,
      ],
      [["-r", wide, "-c", wide, "--chunk-size", "5", "--chunk-by", "c0"], /give one or the other/],
      [
        ["-r", wide, "-c", wide, "--chunk-by", "nope", "--chunk-period", "1d"],
        /--chunk-by: no column named "nope"/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(["check", ...args]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(NO_TRACE);
      expect(run.stdout).toBe("");
    }
  });

  it("prints 200,000 columns without crashing", async () => {
    const width = 200_000;
    const header = Array.from({ length: width }, (_, i) => `f${i}`).join(",");
    const row = (shift: number) =>
      Array.from({ length: width }, (_, i) => String((i + shift) % 7)).join(",");
    const content = `${header}\n${row(0)}\n${row(1)}\n${row(2)}\n`;
    const path = file("very-wide.csv", content);
    const run = await runCli(["check", "-r", path, "-c", path]);
    expect(run.stderr).not.toMatch(NO_TRACE);
    expect(run.code, run.stderr.slice(0, 500)).toBe(0);
    expect(run.stdout).toContain("Drift in 0 of 200000 compared columns");
  }, 180_000);
});

describe("chunks (CLI)", () => {
  const rows = series(3000, 11).map((v) => (v * 10).toFixed(4));
  const reference = file("chunk-ref.csv", `x\n${rows.join("\n")}\n`);
  // The same distribution for 2,500 rows, then 500 shifted ones: the whole file barely moves.
  const currentRows = rows
    .slice(0, 2500)
    .concat(rows.slice(0, 500).map((v) => (Number(v) + 4).toFixed(4)));

  it("--chunk-size: the JSON document per DESIGN and exit 1 when only a chunk drifted", async () => {
    const current = file("chunk-cur.csv", `x\n${currentRows.join("\n")}\n`);
    const plain = await runCli(["check", "-r", reference, "-c", current, "--json"]);
    const chunked = await runCli([
      "check",
      "-r",
      reference,
      "-c",
      current,
      "--json",
      "--chunk-size",
      "700",
    ]);
    expect(chunked.code, chunked.stderr).toBe(1);
    const document = JSON.parse(chunked.stdout) as Document;
    const whole = JSON.parse(plain.stdout) as Document;
    expect(document.columns).toEqual(whole.columns); // top-level figures: the whole file
    expect(
      document.chunks!.map((c) => [
        c.index,
        c.from_row,
        c.to_row,
        c.start,
        c.end,
        c.partial ?? false,
      ]),
    ).toEqual([
      [0, 0, 700, null, null, false],
      [1, 700, 1400, null, null, false],
      [2, 1400, 2100, null, null, false],
      [3, 2100, 2800, null, null, false],
      [4, 2800, 3000, null, null, true],
    ]);
    expect(document.chunks!.map((c) => c.drifted)).toEqual([false, false, false, true, true]);
    expect(document.chunks![4]!.columns).toMatchObject({ x: { kind: "numeric", n_current: 200 } });
    const html = join(directory, "chunks.html");
    const table = await runCli([
      "check",
      "-r",
      reference,
      "-c",
      current,
      "--chunk-size",
      "700",
      "--html",
      html,
    ]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/Drift in 2 of 5 chunks: CHUNK DRIFT/);
    expect(readFileSync(html, "utf8")).toContain('class="heatmap"');
  });

  it("--chunk-by with RFC 3339 and epoch ms, in UTC", async () => {
    const start = Date.UTC(2026, 10, 20);
    const lines = currentRows.map((value, i) => {
      const time = start + Math.floor(i / 1000) * 86_400_000 + (i % 1000) * 60_000;
      return `${i % 2 === 0 ? new Date(time).toISOString() : time},${value}`;
    });
    const current = file("chunk-timed.csv", `timestamp,x\n${lines.join("\n")}\n`);
    const run = await runCli([
      "check",
      "-r",
      reference,
      "-c",
      current,
      "--json",
      "--chunk-by",
      "timestamp",
      "--chunk-period",
      "1d",
    ]);
    expect(run.code, run.stderr).toBe(1);
    const document = JSON.parse(run.stdout) as Document;
    expect(Object.keys(document.columns)).toEqual(["x"]);
    expect(
      document.chunks!.map((c) => [c.start, c.end, c.from_row, c.to_row, "partial" in c]),
    ).toEqual([
      ["2026-11-20T00:00:00.000Z", "2026-11-21T00:00:00.000Z", 0, 1000, false],
      ["2026-11-21T00:00:00.000Z", "2026-11-22T00:00:00.000Z", 1000, 2000, false],
      ["2026-11-22T00:00:00.000Z", "2026-11-23T00:00:00.000Z", 2000, 3000, false],
    ]);
    expect(document.chunks!.map((c) => c.drifted)).toEqual([false, false, true]);
  });
});
