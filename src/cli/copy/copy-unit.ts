// Copies one unit (day, reference, whole small table) of one table from the source to the
// target in pages of distinct identities, in identity order: a page's rows are read from the
// source as RowBinary (lossless: exact floats, NaN, bytes, DateTime as epoch seconds) and
// inserted as they are, one INSERT per page. When the target already holds some of the unit (an
// interrupted run, or rows written there since), a page inserts only the identities the target
// lacks, so running the copy again never duplicates a row.
import {
  ident,
  join,
  qualifiedName,
  raw,
  sql,
  tableRef,
  type SqlEngine,
  type SqlFragment,
} from "../../store/index.js";
import type { TableShape } from "./schema.js";
import type { CopiedTable } from "./tables.js";
import { identityList, unitFilter, type UnitValue } from "./units.js";

export interface CopySides {
  readonly source: SqlEngine;
  readonly sourceDatabase: string;
  readonly target: SqlEngine;
  readonly targetDatabase: string;
}

export interface UnitCopyOptions {
  /** Distinct identities per page. */
  readonly pageKeys: number;
  /** Whether the target held rows of this unit before (then each page asks what is missing). */
  readonly targetHasRows: boolean;
  /** Called after each page with the rows' identities copied so far in this unit. */
  readonly onPage: (copiedKeys: number, skippedKeys: number) => void;
}

/**
 * Characters of identity literals per IN (…) list: each statement stays well under ClickHouse's
 * max_query_size (256 KiB), even with long identities (the audit log's detail text).
 */
const IN_LIST_CHARS = 64 * 1024;

type Identity = readonly string[];

export async function copyUnit(
  sides: CopySides,
  spec: CopiedTable,
  shape: TableShape,
  unit: UnitValue,
  options: UnitCopyOptions,
): Promise<{ copiedKeys: number; skippedKeys: number }> {
  let after: Identity | undefined;
  let copiedKeys = 0;
  let skippedKeys = 0;
  for (;;) {
    const page = await readIdentities(
      sides.source,
      sides.sourceDatabase,
      spec,
      shape,
      unit,
      after === undefined ? undefined : beyond(shape, after),
      options.pageKeys,
    );
    const first = page[0];
    const last = page[page.length - 1];
    if (first === undefined || last === undefined) break;
    const range = sql`(${identityList(shape.identity)}) >= ${tuple(shape, first)} AND (${identityList(shape.identity)}) <= ${tuple(shape, last)}`;
    const present = options.targetHasRows
      ? await readIdentities(sides.target, sides.targetDatabase, spec, shape, unit, range)
      : [];
    if (present.length === 0) {
      await copyRows(sides, spec, shape, unit, range);
      copiedKeys += page.length;
    } else {
      const held = new Set(present.map((identity) => JSON.stringify(identity)));
      const missing = page.filter((identity) => !held.has(JSON.stringify(identity)));
      for (const list of inLists(shape, missing)) {
        await copyRows(
          sides,
          spec,
          shape,
          unit,
          sql`(${identityList(shape.identity)}) IN (${list})`,
        );
      }
      copiedKeys += missing.length;
      skippedKeys += page.length - missing.length;
    }
    options.onPage(copiedKeys, skippedKeys);
    after = last;
  }
  return { copiedKeys, skippedKeys };
}

/** Distinct identities of the unit matching `filter`, in identity order (at most `limit`). */
async function readIdentities(
  engine: SqlEngine,
  database: string,
  spec: CopiedTable,
  shape: TableShape,
  unit: UnitValue,
  filter: SqlFragment | undefined,
  limit?: number,
): Promise<Identity[]> {
  const texts = join(
    shape.identity.map((column, index) => sql`${column.asText} AS ${raw(`k${index}`)}`),
  );
  const where =
    filter === undefined ? unitFilter(spec, unit) : sql`${unitFilter(spec, unit)} AND ${filter}`;
  const limitClause = limit === undefined ? sql`` : sql` LIMIT ${limit}`;
  const rows = await engine.query<Record<string, string>>(
    sql`SELECT ${texts} FROM ${tableRef(database, spec.table)}
WHERE ${where}
GROUP BY ${identityList(shape.identity)}
ORDER BY ${identityList(shape.identity)}${limitClause}`,
  );
  return rows.map((row) => shape.identity.map((_, index) => String(row[`k${index}`])));
}

/**
 * Identities after `identity` in key order. The leading column's bound is spelled out as well:
 * ClickHouse prunes by a plain comparison on the sorting key's first column, not by a tuple.
 */
function beyond(shape: TableShape, identity: Identity): SqlFragment {
  const lead = shape.identity[0]!;
  return sql`${ident(lead.name)} >= ${lead.literal(identity[0] ?? "")} AND (${identityList(shape.identity)}) > ${tuple(shape, identity)}`;
}

/** The identities' tuples as IN lists of at most IN_LIST_CHARS (one tuple at least). */
function inLists(shape: TableShape, identities: readonly Identity[]): SqlFragment[] {
  const lists: SqlFragment[] = [];
  let current: SqlFragment[] = [];
  let chars = 0;
  for (const identity of identities) {
    const item = tuple(shape, identity);
    if (current.length > 0 && chars + item.text.length > IN_LIST_CHARS) {
      lists.push(join(current));
      current = [];
      chars = 0;
    }
    current.push(item);
    chars += item.text.length + 2;
  }
  if (current.length > 0) lists.push(join(current));
  return lists;
}

/** The SQL tuple of an identity's values. */
function tuple(shape: TableShape, identity: Identity): SqlFragment {
  const values = shape.identity.map((column, index) => column.literal(identity[index] ?? ""));
  return sql`(${join(values)})`;
}

/** Read the unit's rows matching `filter` from the source and insert them into the target. */
async function copyRows(
  sides: CopySides,
  spec: CopiedTable,
  shape: TableShape,
  unit: UnitValue,
  filter: SqlFragment,
): Promise<void> {
  const reads = join(shape.columns.map((column) => column.read));
  const bytes = await sides.source.queryRowBinary(
    sql`SELECT ${reads} FROM ${tableRef(sides.sourceDatabase, spec.table)}
WHERE ${unitFilter(spec, unit)} AND ${filter}`,
  );
  if (bytes.length === 0) return;
  await sides.target.insertJsonEachRow(qualifiedName(sides.targetDatabase, spec.table), bytes, {
    columns: shape.columns.map((column) => column.name),
    format: "RowBinary",
  });
}
