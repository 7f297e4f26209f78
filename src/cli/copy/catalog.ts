// The model catalog is not copied: the target's materialized view rebuilds it from the copied
// predictions. Verification checks that it covers the source's: every (model, version) of the
// source is listed on the target, first seen no later and last seen no earlier.
import { sql, tableRef, type SqlEngine } from "../../store/index.js";
import type { CopySides } from "./copy-unit.js";

interface CatalogRow {
  readonly model: string;
  readonly model_version: string;
  readonly first_seen: number;
  readonly last_seen: number;
}

async function readCatalog(engine: SqlEngine, database: string): Promise<Map<string, CatalogRow>> {
  const exists = await engine.query<{ n: number }>(
    sql`SELECT count() AS n FROM system.tables WHERE database = ${database} AND name = 'model_catalog'`,
  );
  if (Number(exists[0]?.n ?? 0) === 0) return new Map();
  const rows = await engine.query<CatalogRow>(
    sql`SELECT model, model_version, toUnixTimestamp(minMerge(first_seen)) AS first_seen, toUnixTimestamp(maxMerge(last_seen)) AS last_seen
FROM ${tableRef(database, "model_catalog")}
GROUP BY model, model_version`,
  );
  return new Map(rows.map((row) => [JSON.stringify([row.model, row.model_version]), row]));
}

export async function compareCatalogs(sides: CopySides): Promise<string[]> {
  const source = await readCatalog(sides.source, sides.sourceDatabase);
  const target = await readCatalog(sides.target, sides.targetDatabase);
  const mismatches: string[] = [];
  for (const [key, row] of source) {
    const held = target.get(key);
    const name = `model_catalog ${row.model} ${row.model_version}`;
    if (held === undefined) {
      mismatches.push(`${name}: missing on the target`);
    } else if (
      Number(held.first_seen) > Number(row.first_seen) ||
      Number(held.last_seen) < Number(row.last_seen)
    ) {
      mismatches.push(
        `${name}: source seen ${row.first_seen}–${row.last_seen}, target ${held.first_seen}–${held.last_seen} (epoch s)`,
      );
    }
  }
  return mismatches;
}
