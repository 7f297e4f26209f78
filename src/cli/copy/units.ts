// Per-unit figures of one table on one server: rows and distinct identities per unit (day,
// reference, or the whole table), read with one GROUP BY query. Both the copy's plan (which
// units differ) and the final verification compare these figures between source and target.
import {
  ident,
  join,
  raw,
  sql,
  tableRef,
  type SqlEngine,
  type SqlFragment,
} from "../../store/index.js";
import type { IdentityColumn, TableShape } from "./schema.js";
import type { CopiedTable } from "./tables.js";

/** A unit's value as ClickHouse printed it (a day number, a reference id, or 0). */
export type UnitValue = string | number;

export interface UnitFigures {
  readonly rows: number;
  readonly keys: number;
  /** Sum of each key's latest version ("" for logs, which have none). */
  readonly latest: string;
}

/** Units of one table by their value's JSON text (so 20260101 and "20260101" stay apart). */
export type TableFigures = Map<string, { readonly unit: UnitValue } & UnitFigures>;

export function unitExpression(spec: CopiedTable): SqlFragment {
  return raw(spec.unit ?? "0");
}

/** `<unit expression> = <value>`, the filter every query about one unit carries. */
export function unitFilter(spec: CopiedTable, unit: UnitValue): SqlFragment {
  return sql`${unitExpression(spec)} = ${unit}`;
}

export function identityList(identity: readonly IdentityColumn[]): SqlFragment {
  return join(identity.map((column) => ident(column.name)));
}

/**
 * Rows and distinct keys per unit; for ReplacingMergeTree tables also the sum of every key's
 * latest version (as text: UInt64, wrapping alike on both servers). Neither changes when
 * either server merges, so equal figures mean the target holds every key at its latest version.
 */
export async function readTableFigures(
  engine: SqlEngine,
  database: string,
  spec: CopiedTable,
  shape: TableShape,
): Promise<TableFigures> {
  const table = tableRef(database, spec.table);
  const keys = identityList(shape.keys);
  const statement =
    shape.versionNumber === undefined
      ? sql`SELECT ${unitExpression(spec)} AS unit, count() AS rows, uniqExact(${keys}) AS keys, '' AS latest
FROM ${table}
GROUP BY unit
ORDER BY unit`
      : sql`SELECT unit, sum(key_rows) AS rows, count() AS keys, toString(sum(key_latest)) AS latest
FROM (
  SELECT ${unitExpression(spec)} AS unit, count() AS key_rows, max(${shape.versionNumber}) AS key_latest
  FROM ${table}
  GROUP BY unit, cityHash64(${keys})
)
GROUP BY unit
ORDER BY unit`;
  const rows = await engine.query<{ unit: UnitValue; rows: number; keys: number; latest: string }>(
    statement,
  );
  return new Map(
    rows.map((row) => [
      JSON.stringify(row.unit),
      { unit: row.unit, rows: Number(row.rows), keys: Number(row.keys), latest: row.latest },
    ]),
  );
}

/** A table's rows and distinct keys over all its units. */
export interface Totals {
  readonly rows: number;
  readonly keys: number;
}

export function totals(figures: TableFigures): Totals {
  let rows = 0;
  let keys = 0;
  for (const unit of figures.values()) {
    rows += unit.rows;
    keys += unit.keys;
  }
  return { rows, keys };
}

const NONE: UnitFigures = { rows: 0, keys: 0, latest: "0" };

/** The target's figures for a source unit (zero when the target has none of it). */
export function figuresOf(figures: TableFigures, unit: UnitValue): UnitFigures {
  return figures.get(JSON.stringify(unit)) ?? NONE;
}

/**
 * Whether the target holds the unit as the source does: the same distinct keys, and the same
 * latest versions (ReplacingMergeTree tables) or the same number of rows (logs, never merged).
 */
export function unitMatches(spec: CopiedTable, source: UnitFigures, target: UnitFigures): boolean {
  if (source.keys !== target.keys) return false;
  return spec.merge === "replacing" ? source.latest === target.latest : source.rows === target.rows;
}
