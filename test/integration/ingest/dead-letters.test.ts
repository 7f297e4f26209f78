// Dead-letter queries of `dlq list` / `dlq replay` on both engines (ClickHouse 18.16 and chdb):
// counts by reason collapse repeated rows, filters by reason/time/position, replay markers, keyset
// paging, and payload bytes returned exactly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deadLettersAfter,
  listDeadLetters,
  summarizeDeadLetters,
} from "../../../src/ingest/dead-letters.js";
import {
  applyMigrations,
  dropDatabase,
  qualifiedName,
  type SqlEngine,
} from "../../../src/store/index.js";
import { deadLetterRow } from "../../support/rows.js";
import { ENGINES, uniqueDatabase } from "../../support/stack.js";

/** When the first dead letter arrived (epoch seconds; the others are offsets from it). */
const RECEIVED = 1_800_000_000;

describe.each(ENGINES)("dead-letter queries on $name", ({ open }) => {
  let engine: SqlEngine;
  const database = uniqueDatabase("dlq");
  const binary = Buffer.from([0xff, 0x00, 0x22, 0x5c, 0x0a, 0xc3]);

  beforeAll(async () => {
    engine = await open();
    await applyMigrations(engine, database);
    await engine.insert(qualifiedName(database, "dead_letters"), [
      deadLetterRow({
        topic: "p",
        partition: 0,
        offset: 1,
        reason: "too_large",
        received_at: RECEIVED,
      }),
      deadLetterRow({
        topic: "p",
        partition: 0,
        offset: 2,
        reason: "not_utf8",
        received_at: RECEIVED + 60,
        raw: binary,
      }),
      deadLetterRow({
        topic: "p",
        partition: 1,
        offset: 1,
        reason: "too_large",
        received_at: RECEIVED + 120,
      }),
      deadLetterRow({
        topic: "l",
        partition: 0,
        offset: 5,
        reason: "missing_field",
        received_at: RECEIVED + 180,
      }),
      // The same original message dead-lettered twice (a redelivery race): counted once.
      deadLetterRow({
        topic: "p",
        partition: 1,
        offset: 1,
        reason: "too_large",
        received_at: RECEIVED + 121,
      }),
    ]);
    await engine.insert(qualifiedName(database, "dead_letter_replays"), [
      { topic: "p", partition: 0, offset: 1, reason: "too_large", replayed_at: RECEIVED + 500 },
    ]);
  });

  afterAll(async () => {
    await dropDatabase(engine, database);
    await engine.close();
  });

  it("counts distinct dead letters by reason, with the replayed ones", async () => {
    const summary = await summarizeDeadLetters(engine, database, {});
    expect(summary).toEqual({
      total: 4,
      replayed: 1,
      byReason: { too_large: 2, missing_field: 1, not_utf8: 1 },
    });
    const since = await summarizeDeadLetters(engine, database, { sinceMs: (RECEIVED + 60) * 1000 });
    expect(since.total).toBe(3);
    const window = await summarizeDeadLetters(engine, database, {
      sinceMs: (RECEIVED + 60) * 1000,
      untilMs: (RECEIVED + 180) * 1000,
      reasons: ["too_large", "not_utf8"],
    });
    expect(window.byReason).toEqual({ too_large: 1, not_utf8: 1 });
  });

  it("lists newest first with exact payload bytes and replay markers", async () => {
    const entries = await listDeadLetters(engine, database, {}, 10);
    expect(entries.map((e) => `${e.topic}:${e.partition}:${e.offset}`)).toEqual([
      "l:0:5",
      "p:1:1",
      "p:0:2",
      "p:0:1",
    ]);
    const utf8 = entries.find((e) => e.reason === "not_utf8");
    expect(utf8?.raw.equals(binary)).toBe(true);
    expect(entries.find((e) => e.offset === 1 && e.partition === 0)?.replayedAt).toBe(
      RECEIVED + 500,
    );
    expect(entries.find((e) => e.topic === "l")?.replayedAt).toBeNull();
    const limited = await listDeadLetters(engine, database, {}, 2);
    expect(limited).toHaveLength(2);
  });

  it("pages in position order, by position, skipping replayed ones on request", async () => {
    const first = await deadLettersAfter(engine, database, { notReplayed: true }, undefined, 2);
    expect(first.map((e) => `${e.topic}:${e.partition}:${e.offset}`)).toEqual(["l:0:5", "p:0:2"]);
    const second = await deadLettersAfter(engine, database, { notReplayed: true }, first[1], 2);
    expect(second.map((e) => `${e.topic}:${e.partition}:${e.offset}`)).toEqual(["p:1:1"]);
    const chosen = await deadLettersAfter(
      engine,
      database,
      {
        positions: [
          { topic: "p", partition: 0, offset: 2 },
          { topic: "l", partition: 0, offset: 5 },
        ],
      },
      undefined,
      10,
    );
    expect(chosen.map((e) => e.reason)).toEqual(["missing_field", "not_utf8"]);
  });
});
