// The Kafka topics whose positions the copy carries over: the target's ingest_positions view
// records the copied rows' offsets, and an ingester skips records at or below them. Read from the
// source's small ingest_positions table, to warn when those topics would be read on a new Kafka
// cluster whose offsets start again at 0 (docs/scaling.md, "Kafka positions").
import { sql, tableRef } from "../../store/index.js";
import type { CopySides } from "./copy-unit.js";

export async function copiedKafkaTopics(sides: CopySides): Promise<string[]> {
  const [exists] = await sides.source.query<{ n: number }>(
    sql`SELECT count() AS n FROM system.tables WHERE database = ${sides.sourceDatabase} AND name = 'ingest_positions'`,
  );
  if (Number(exists?.n ?? 0) === 0) return [];
  const rows = await sides.source.query<{ topic: string }>(
    sql`SELECT DISTINCT kafka_topic AS topic FROM ${tableRef(sides.sourceDatabase, "ingest_positions")} ORDER BY topic`,
  );
  return rows.map((row) => row.topic);
}
