// The synthetic 1e6-row reference and current CSV files of the fixtures (million_row in
// scripts/fixtures/check.py): integer arithmetic only, so these bytes equal Python's.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";

export const MILLION = 1_000_000;

function millionRow(i: number, current: boolean): string {
  if (current) {
    const k = ((i * 104729 + 12345) % 1000003) + (i % 7) * 50000;
    const x =
      i % 1000 === 999 ? "" : `${Math.floor(k / 1000)}.${String(k % 1000).padStart(3, "0")}`;
    return `${x},c${(i * 37) % 19}\n`;
  }
  const k = (i * 7919) % 1000003;
  return `${Math.floor(k / 1000)}.${String(k % 1000).padStart(3, "0")},c${(i * 31) % 17}\n`;
}

/** Writes the file and returns its SHA-256 (hex) so the test can check it is Python's file. */
export function writeMillionRows(path: string, current: boolean): string {
  const parts: string[] = ["x,category\n"];
  for (let i = 0; i < MILLION; i++) parts.push(millionRow(i, current));
  const bytes = Buffer.from(parts.join(""));
  writeFileSync(path, bytes);
  return createHash("sha256").update(bytes).digest("hex");
}
