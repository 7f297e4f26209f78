// Plain-text tables for `check`'s terminal output: columns padded to their widest cell.

/** Lines of aligned columns (widths from one pass over the rows). */
export function alignedLines(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((title) => title.length);
  for (const row of rows) {
    for (let index = 0; index < row.length; index++) {
      if (row[index]!.length > widths[index]!) widths[index] = row[index]!.length;
    }
  }
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, index) => cell.padEnd(widths[index]!))
      .join("  ")
      .trimEnd();
  const lines = [line(header)];
  for (const row of rows) lines.push(line(row));
  return lines;
}
