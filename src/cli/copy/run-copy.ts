// `driftwatch copy` end to end: for each table, compare the source's and the target's figures
// per unit, copy the units that differ (or only report them with dryRun), then verify every
// unit again and the model catalog the target's views rebuilt. Progress goes to `progress`
// (stderr); the returned report says what was copied and what still differs.
import { CopyError } from "./errors.js";
import { compareCatalogs } from "./catalog.js";
import { copyUnit, type CopySides } from "./copy-unit.js";
import { copiedKafkaTopics } from "./positions.js";
import { readColumns, tableShape, type TableShape } from "./schema.js";
import type { CopiedTable } from "./tables.js";
import {
  figuresOf,
  readTableFigures,
  totals,
  unitMatches,
  type TableFigures,
  type Totals,
} from "./units.js";

/** Tables whose rows feed the target's ingest_positions. */
const INGESTED = new Set(["predictions", "labels", "dead_letters"]);

export interface CopyOptions {
  readonly tables: readonly CopiedTable[];
  readonly pageKeys: number;
  /** Plan only: read figures, write nothing. */
  readonly dryRun: boolean;
  /** Compare only (no copy). */
  readonly verifyOnly: boolean;
  /** How long verification waits for the target to catch up (asynchronous Distributed inserts). */
  readonly settleMs: number;
  readonly progress: (line: string) => void;
}

export interface TableReport {
  readonly table: string;
  readonly source: Totals;
  readonly target: Totals;
  /** Units that differed before copying. */
  readonly unitsToCopy: number;
  readonly copiedKeys: number;
  readonly skippedKeys: number;
  /** Units still differing after the copy ("20260101: source 10 keys / 10 rows, target 9 / 9"). */
  readonly mismatches: readonly string[];
  /** Columns not copied (source only) and left to defaults (target only). */
  readonly dropped: readonly string[];
  readonly defaulted: readonly string[];
  /** Set when the table is absent from the source (an older install): nothing to copy. */
  readonly absent?: true;
}

export interface CopyReport {
  readonly mode: "copy" | "dry-run" | "verify-only";
  readonly tables: readonly TableReport[];
  readonly catalogMismatches: readonly string[];
  /** Kafka topics whose stored offsets the target now holds (copies of ingested tables only). */
  readonly kafkaTopics: readonly string[];
  readonly ok: boolean;
}

export async function runCopy(sides: CopySides, options: CopyOptions): Promise<CopyReport> {
  const reports: TableReport[] = [];
  for (const spec of options.tables) {
    reports.push(await copyTable(sides, spec, options));
  }
  const verify = !options.dryRun;
  const catalogMismatches = verify ? await compareCatalogs(sides) : [];
  const ok =
    !verify || (reports.every((r) => r.mismatches.length === 0) && catalogMismatches.length === 0);
  const mode = options.dryRun ? "dry-run" : options.verifyOnly ? "verify-only" : "copy";
  const ingested = reports.some((r) => INGESTED.has(r.table) && r.copiedKeys > 0);
  const kafkaTopics = mode === "copy" && ingested ? await copiedKafkaTopics(sides) : [];
  return { mode, tables: reports, catalogMismatches, kafkaTopics, ok };
}

async function copyTable(
  sides: CopySides,
  spec: CopiedTable,
  options: CopyOptions,
): Promise<TableReport> {
  const sourceColumns = await readColumns(sides.source, sides.sourceDatabase, spec.table);
  const targetColumns = await readColumns(sides.target, sides.targetDatabase, spec.table);
  if (targetColumns === undefined) {
    throw new CopyError(
      `target table ${sides.targetDatabase}.${spec.table} does not exist: run \`driftwatch migrate\` against the target first`,
    );
  }
  if (sourceColumns === undefined) {
    options.progress(`${spec.table}: not in the source, nothing to copy`);
    const empty = { rows: 0, keys: 0 };
    return {
      table: spec.table,
      source: empty,
      target: empty,
      unitsToCopy: 0,
      copiedKeys: 0,
      skippedKeys: 0,
      mismatches: [],
      dropped: [],
      defaulted: [],
      absent: true,
    };
  }
  const shape = tableShape(spec, sourceColumns, targetColumns);
  const sourceFigures = await readTableFigures(sides.source, sides.sourceDatabase, spec, shape);
  const targetBefore = await readTableFigures(sides.target, sides.targetDatabase, spec, shape);
  const differing = [...sourceFigures.values()].filter(
    (unit) => !unitMatches(spec, unit, figuresOf(targetBefore, unit.unit)),
  );
  const sourceTotals = totals(sourceFigures);
  options.progress(
    `${spec.table}: source ${sourceTotals.rows} rows / ${sourceTotals.keys} keys in ${sourceFigures.size} unit(s), ` +
      `${differing.length} unit(s) to copy${options.dryRun || options.verifyOnly ? " (not copying)" : ""}`,
  );
  let copiedKeys = 0;
  let skippedKeys = 0;
  if (!options.dryRun && !options.verifyOnly) {
    let done = 0;
    for (const unit of differing) {
      done += 1;
      const targetUnit = figuresOf(targetBefore, unit.unit);
      const result = await copyUnit(sides, spec, shape, unit.unit, {
        pageKeys: options.pageKeys,
        targetHasRows: targetUnit.rows > 0,
        onPage: (copied, skipped) =>
          options.progress(
            `${spec.table} ${String(unit.unit)} (unit ${done}/${differing.length}, ${unit.keys} keys / ${unit.rows} rows): ${copied} entries copied, ${skipped} already there`,
          ),
      });
      copiedKeys += result.copiedKeys;
      skippedKeys += result.skippedKeys;
    }
  }
  const { target, mismatches } = options.dryRun
    ? {
        target: totals(targetBefore),
        mismatches: describeMismatches(spec, sourceFigures, targetBefore),
      }
    : await verifyTable(sides, spec, shape, sourceFigures, options);
  return {
    table: spec.table,
    source: sourceTotals,
    target,
    unitsToCopy: differing.length,
    copiedKeys,
    skippedKeys,
    mismatches,
    dropped: shape.dropped,
    defaulted: shape.defaulted,
  };
}

/** Read the target's figures again (waiting up to settleMs while units fall short) and compare. */
async function verifyTable(
  sides: CopySides,
  spec: CopiedTable,
  shape: TableShape,
  sourceFigures: TableFigures,
  options: CopyOptions,
): Promise<{ target: Totals; mismatches: string[] }> {
  const deadline = Date.now() + options.settleMs;
  for (;;) {
    const targetFigures = await readTableFigures(sides.target, sides.targetDatabase, spec, shape);
    const mismatches = describeMismatches(spec, sourceFigures, targetFigures);
    const shortOnly = mismatches.length > 0 && fallsShort(spec, sourceFigures, targetFigures);
    if (mismatches.length === 0 || !shortOnly || Date.now() >= deadline) {
      return { target: totals(targetFigures), mismatches };
    }
    await sleep(1_000);
  }
}

function describeMismatches(
  spec: CopiedTable,
  sourceFigures: TableFigures,
  targetFigures: TableFigures,
): string[] {
  const mismatches: string[] = [];
  const units = new Map([...targetFigures, ...sourceFigures]);
  for (const { unit } of units.values()) {
    const source = figuresOf(sourceFigures, unit);
    const target = figuresOf(targetFigures, unit);
    if (!unitMatches(spec, source, target)) {
      mismatches.push(
        `${spec.table} ${spec.unit === undefined ? "(all)" : `${spec.unit} = ${String(unit)}`}: source ${source.keys} keys / ${source.rows} rows, target ${target.keys} keys / ${target.rows} rows` +
          (source.keys === target.keys && source.latest !== target.latest
            ? " (other latest versions)"
            : ""),
      );
    }
  }
  return mismatches;
}

/** Whether every differing unit has fewer rows on the target (rows may still be arriving). */
function fallsShort(
  spec: CopiedTable,
  sourceFigures: TableFigures,
  targetFigures: TableFigures,
): boolean {
  for (const unit of sourceFigures.values()) {
    const target = figuresOf(targetFigures, unit.unit);
    if (unitMatches(spec, unit, target)) continue;
    if (target.keys > unit.keys || target.rows > unit.rows) return false;
  }
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
