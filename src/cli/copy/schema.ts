// The columns a table is copied with: those the source and the target both have, by name (a
// newer target column the source lacks gets its default). A column whose type differs is read
// CAST to the target's type; the target's MATERIALIZED and ALIAS columns are never written.
import { CopyError } from "./errors.js";
import { ident, raw, sql, type SqlEngine, type SqlFragment } from "../../store/index.js";
import type { CopiedTable } from "./tables.js";

interface ColumnRow {
  readonly name: string;
  readonly type: string;
  readonly default_kind: string;
}

export interface CopyColumn {
  readonly name: string;
  /** The source expression read for it (the column, or a CAST to the target's type). */
  readonly read: SqlFragment;
}

/** How an identity column's value travels as text and comes back as a SQL literal. */
export interface IdentityColumn {
  readonly name: string;
  /** Expression turning the column into text (portable across time zones and versions). */
  readonly asText: SqlFragment;
  /** The SQL literal of a value read through `asText`. */
  literal(value: string): SqlFragment;
}

export interface TableShape {
  readonly columns: readonly CopyColumn[];
  /** What one copied entry is: the key columns, then the version column if the table has one. */
  readonly identity: readonly IdentityColumn[];
  /** The key columns alone (distinct keys are what the figures count). */
  readonly keys: readonly IdentityColumn[];
  /** The version as a UInt64 expression (figures sum each key's latest); undefined for logs. */
  readonly versionNumber?: SqlFragment;
  /** Source columns the target lacks (not copied; reported). */
  readonly dropped: readonly string[];
  /** Target columns the source lacks (left to their defaults; reported). */
  readonly defaulted: readonly string[];
}

/** A type name as system.columns prints it; anything else is refused before it reaches SQL. */
const TYPE_NAME = /^[A-Za-z0-9_(), ']+$/;

/** The table's columns, or undefined when the table does not exist. */
export async function readColumns(
  engine: SqlEngine,
  database: string,
  table: string,
): Promise<Map<string, ColumnRow> | undefined> {
  const rows = await engine.query<ColumnRow>(
    sql`SELECT name, type, default_kind FROM system.columns WHERE database = ${database} AND table = ${table}`,
  );
  if (rows.length === 0) return undefined;
  return new Map(rows.map((row) => [row.name, row]));
}

export function tableShape(
  spec: CopiedTable,
  source: Map<string, ColumnRow>,
  target: Map<string, ColumnRow>,
): TableShape {
  const writable = [...target.values()].filter(
    (column) => column.default_kind !== "MATERIALIZED" && column.default_kind !== "ALIAS",
  );
  const columns: CopyColumn[] = [];
  const defaulted: string[] = [];
  for (const column of writable) {
    const from = source.get(column.name);
    if (from === undefined || from.default_kind === "ALIAS") {
      defaulted.push(column.name);
      continue;
    }
    columns.push({ name: column.name, read: readExpression(column.name, from.type, column.type) });
  }
  const dropped = [...source.keys()].filter((name) => !target.has(name));
  const typeOf = (name: string): string => {
    const type = source.get(name)?.type;
    if (type === undefined || target.get(name)?.type !== type) {
      throw new CopyError(
        `${spec.table}: key column ${name} is missing on one side or differs in type`,
      );
    }
    return type;
  };
  const keys = spec.identity.map((name) => identityColumn(name, typeOf(name)));
  if (spec.version === undefined) return { columns, identity: keys, keys, dropped, defaulted };
  const versionType = typeOf(spec.version);
  const version = ident(spec.version);
  return {
    columns,
    identity: [...keys, identityColumn(spec.version, versionType)],
    keys,
    versionNumber:
      versionType === "DateTime"
        ? sql`toUInt64(toUnixTimestamp(${version}))`
        : sql`toUInt64(${version})`,
    dropped,
    defaulted,
  };
}

function readExpression(name: string, sourceType: string, targetType: string): SqlFragment {
  if (sourceType === targetType) return ident(name);
  if (!TYPE_NAME.test(targetType)) throw new CopyError(`unexpected column type ${targetType}`);
  return sql`CAST(${ident(name)} AS ${raw(targetType)})`;
}

function identityColumn(name: string, type: string): IdentityColumn {
  const column = ident(name);
  if (type === "String") {
    // As hex: the exact bytes travel (JSON text would turn invalid UTF-8 into U+FFFD).
    return {
      name,
      asText: sql`hex(${column})`,
      literal: (value) => {
        if (!/^(?:[0-9A-F]{2})*$/.test(value))
          throw new CopyError(`not hex: ${value.slice(0, 40)}`);
        return raw(`unhex('${value}')`);
      },
    };
  }
  if (type === "DateTime") {
    return {
      name,
      asText: sql`toString(toUnixTimestamp(${column}))`,
      literal: (value) => sql`toDateTime(${raw(integerText(value))})`,
    };
  }
  const unsigned = /^UInt(8|16|32|64)$/.exec(type);
  if (unsigned !== null) {
    return {
      name,
      asText: sql`toString(${column})`,
      literal: (value) => sql`${raw(`toUInt${unsigned[1]}(${integerText(value)})`)}`,
    };
  }
  throw new CopyError(`identity column ${name} has type ${type}: only String, DateTime, UInt*`);
}

function integerText(value: string): string {
  if (!/^[0-9]{1,20}$/.test(value)) throw new CopyError(`not an integer: ${JSON.stringify(value)}`);
  return value;
}
