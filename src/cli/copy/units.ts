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
import type { IdentityColumn } from "./schema.js";
import type { CopiedTable } from "./tables.js";

/** A unit's value as ClickHouse printed it (a day number, a reference id, or 0). */
export type UnitValue = string | number;

export interface UnitFigures {
  readonly rows: number;
  readonly keys: number;
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

export async function readTableFigures(
  engine: SqlEngine,
  database: string,
  spec: CopiedTable,
  identity: readonly IdentityColumn[],
): Promise<TableFigures> {
  const rows = await engine.query<{ unit: UnitValue; rows: number; keys: number }>(
    sql`SELECT ${unitExpression(spec)} AS unit, count() AS rows, uniqExact(${identityList(identity)}) AS keys
FROM ${tableRef(database, spec.table)}
GROUP BY unit
ORDER BY unit`,
  );
  return new Map(
    rows.map((row) => [
      JSON.stringify(row.unit),
      { unit: row.unit, rows: Number(row.rows), keys: Number(row.keys) },
    ]),
  );
}

export function totals(figures: TableFigures): UnitFigures {
  let rows = 0;
  let keys = 0;
  for (const unit of figures.values()) {
    rows += unit.rows;
    keys += unit.keys;
  }
  return { rows, keys };
}

const NONE: UnitFigures = { rows: 0, keys: 0 };

/** The target's figures for a source unit (zero when the target has none of it). */
export function figuresOf(figures: TableFigures, unit: UnitValue): UnitFigures {
  return figures.get(JSON.stringify(unit)) ?? NONE;
}

/**
 * Whether the target holds the unit as the source does: the same distinct identities, and for
 * log tables (never merged) the same number of rows.
 */
export function unitMatches(spec: CopiedTable, source: UnitFigures, target: UnitFigures): boolean {
  if (source.keys !== target.keys) return false;
  return spec.merge === "replacing" || source.rows === target.rows;
}
