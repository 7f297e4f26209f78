// Reads a JSON-lines file (or stdin) as raw lines with their 1-based line numbers, bytes kept as
// they are (no decoding), a trailing "\r" removed and blank lines skipped.
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";

export interface NumberedLine {
  readonly lineNumber: number;
  readonly bytes: Buffer;
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  }
  return true;
}

function trimCarriageReturn(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes;
}

/** `-` means standard input. */
export function openInput(path: string): Readable {
  return path === "-" ? process.stdin : createReadStream(path);
}

export async function* readLines(input: Readable): AsyncGenerator<NumberedLine> {
  let carry: Buffer = Buffer.alloc(0);
  let lineNumber = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a, start)) {
      lineNumber++;
      const bytes = trimCarriageReturn(data.subarray(start, newline));
      if (!isBlank(bytes)) yield { lineNumber, bytes };
      start = newline + 1;
    }
    data = data.subarray(start);
    // Copy the tail so the (possibly large) chunk it came from can be released.
    carry = Buffer.from(data);
  }
  if (carry.length > 0) {
    lineNumber++;
    const bytes = trimCarriageReturn(carry);
    if (!isBlank(bytes)) yield { lineNumber, bytes };
  }
}
