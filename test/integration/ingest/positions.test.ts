// Stored positions and dead-letter bytes on both engines (ClickHouse 18.16 over HTTP and chdb):
// the materialized views of migration 4 keep the highest offset per table and partition, and a
// non-UTF-8 payload comes back from dead_letters.raw byte for byte.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoredPositions } from "../../../src/ingest/stored-positions.js";
import {
  applyMigrations,
  dropDatabase,
  qualifiedName,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { deadLetterRow, predictionRow } from "../../support/rows.js";
import { ENGINES, uniqueDatabase } from "../../support/stack.js";

describe.each(ENGINES)("ingest positions on $name", ({ open }) => {
  let engine: SqlEngine;
  const database = uniqueDatabase("ingpos");

  beforeAll(async () => {
    engine = await open();
    await applyMigrations(engine, database);
  });

  afterAll(async () => {
    await dropDatabase(engine, database);
    await engine.close();
  });

  it("keeps the highest stored offset per table, topic and partition", async () => {
    await engine.insert(qualifiedName(database, "predictions"), [
      predictionRow({ event_id: "a", kafka_topic: "p", kafka_partition: 0, kafka_offset: 7 }),
      predictionRow({ event_id: "b", kafka_topic: "p", kafka_partition: 0, kafka_offset: 12 }),
      predictionRow({ event_id: "c", kafka_topic: "p", kafka_partition: 1, kafka_offset: 3 }),
    ]);
    await engine.insert(qualifiedName(database, "predictions"), [
      predictionRow({ event_id: "d", kafka_topic: "p", kafka_partition: 0, kafka_offset: 9 }),
    ]);
    await engine.insert(qualifiedName(database, "dead_letters"), [
      deadLetterRow({ topic: "p", partition: 0, offset: 10 }),
    ]);
    const positions = new StoredPositions(engine, database);
    await positions.load(["p", "other"]);
    expect(positions.isStored("predictions", "p", 0, 12)).toBe(true);
    expect(positions.isStored("predictions", "p", 0, 13)).toBe(false);
    // Offset 10 went to dead_letters, so predictions' mark says nothing about it — and vice versa.
    expect(positions.isStored("dead_letters", "p", 0, 10)).toBe(true);
    expect(positions.isStored("dead_letters", "p", 0, 11)).toBe(false);
    expect(positions.isStored("predictions", "p", 1, 3)).toBe(true);
    expect(positions.isStored("predictions", "p", 1, 4)).toBe(false);
    expect(positions.isStored("labels", "p", 0, 0)).toBe(false);
  });

  it("stores a non-UTF-8 payload in dead_letters.raw byte for byte", async () => {
    const payload = Buffer.from([
      0x7b, 0x22, 0xff, 0xfe, 0x00, 0x0a, 0x5c, 0x22, 0xc3, 0x28, 0xe2, 0x82, 0xac, 0x7f, 0x7d,
    ]);
    await engine.insert(qualifiedName(database, "dead_letters"), [
      deadLetterRow({ topic: "bytes", partition: 2, offset: 99, raw: payload }),
    ]);
    const rows = await engine.query<{ hex: string; length: number }>(
      sql`SELECT hex(raw) AS hex, length(raw) AS length FROM ${tableRef(database, "dead_letters")} WHERE topic = 'bytes'`,
    );
    expect(rows).toEqual([{ hex: payload.toString("hex").toUpperCase(), length: payload.length }]);
  });
});
