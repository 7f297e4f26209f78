// Statement shapes both engines share: SELECT … FORMAT JSONEachRow, INSERT … FORMAT JSONEachRow,
// and parsing JSONEachRow replies.
import { ClickHouseQueryError } from "./errors.js";
import { ident, join, raw, sql, type SqlFragment } from "./sql.js";

/** The SELECT with `FORMAT JSONEachRow` appended (after a newline, so a trailing comment is harmless). */
export function selectStatement(
  statement: SqlFragment,
  format: "JSONEachRow" | "RowBinary" = "JSONEachRow",
): string {
  return `${statement.text.replace(/[\s;]+$/, "")}\nFORMAT ${format}`;
}

/** `INSERT INTO db.table [(columns)] FORMAT JSONEachRow` (or RowBinary) with validated names. */
export function insertStatement(
  table: string,
  columns?: readonly string[],
  format: "JSONEachRow" | "RowBinary" = "JSONEachRow",
): SqlFragment {
  const columnList =
    columns === undefined || columns.length === 0
      ? raw("")
      : sql` (${join(columns.map((column) => ident(column)))})`;
  return sql`INSERT INTO ${ident(table)}${columnList} FORMAT ${raw(format)}`;
}

/** Rows of a JSONEachRow reply. */
export function parseJsonEachRow<Row>(text: string): Row[] {
  const rows: Row[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === "") continue;
    try {
      rows.push(JSON.parse(line) as Row);
    } catch {
      throw new ClickHouseQueryError(
        `unparseable JSONEachRow line from ClickHouse: ${line.slice(0, 200)}`,
      );
    }
  }
  return rows;
}
