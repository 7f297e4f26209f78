// What a migration is: a numbered list of idempotent statements for one database.
import type { SqlFragment } from "../sql.js";
import type { SchemaTarget } from "../table-ddl.js";

/**
 * A column added to an existing table. 18.16 has no `ADD COLUMN IF NOT EXISTS`: the migration
 * runner adds it only when system.columns does not list it, so the step can be repeated.
 */
export interface ColumnAddition {
  readonly table: string;
  readonly name: string;
  /** Type and default, e.g. "Float64 DEFAULT nan" (a default is required: old rows read it). */
  readonly definition: string;
}

/**
 * One schema change. Versions are unique and increasing; a migration never changes once released
 * (add a new one instead). Statements should be idempotent (CREATE … IF NOT EXISTS, ADD COLUMN
 * IF NOT EXISTS) so a run interrupted half-way can simply be repeated.
 */
export interface Migration {
  readonly version: number;
  /** Short description, e.g. "core tables". */
  readonly name: string;
  /**
   * The statements, in order, for the given database on one server or a cluster (src/store/
   * table-ddl.ts renders both). Must run on ClickHouse 18.16 and current.
   */
  statements(target: SchemaTarget): readonly SqlFragment[];
  /** Columns added (after the statements), each only when missing. */
  readonly addColumns?: readonly ColumnAddition[];
}
