// Reading JSON lines as raw bytes with line numbers, across chunk boundaries.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readLines } from "../../../src/ingest/jsonl-lines.js";

async function collect(chunks: Buffer[]): Promise<[number, string][]> {
  const lines: [number, string][] = [];
  for await (const line of readLines(Readable.from(chunks))) {
    lines.push([line.lineNumber, line.bytes.toString("latin1")]);
  }
  return lines;
}

describe("readLines", () => {
  it("numbers lines, skips blank ones, strips CR and keeps bytes", async () => {
    const lines = await collect([
      Buffer.from('{"a":1}\r\n\n   \n{"b"'),
      Buffer.from([0x3a, 0xff, 0x7d, 0x0a]),
      Buffer.from("last without newline"),
    ]);
    expect(lines).toEqual([
      [1, '{"a":1}'],
      [4, '{"b":\u00ff}'],
      [5, "last without newline"],
    ]);
  });

  it("handles a line split over many chunks", async () => {
    const text = "x".repeat(100);
    const chunks = [...text].map((c) => Buffer.from(c));
    expect(await collect([...chunks, Buffer.from("\n")])).toEqual([[1, text]]);
  });
});
