// `serve` enforces retention by itself: at start-up (then hourly) it drops day partitions older
// than retention.<table> days, and keeps the younger ones.
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { startService } from "../../../src/service/index.js";
import {
  applyMigrations,
  dropDatabase,
  qualifiedName,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { clickHouseUrl, serverEngine, uniqueDatabase } from "../../support/stack.js";

const DAY_MS = 86_400_000;
const database = uniqueDatabase("serve_retention");
const engine: SqlEngine = serverEngine();

afterAll(async () => {
  await dropDatabase(engine, database);
  await engine.close();
});

function deadLetter(receivedAt: Date, offset: number): object {
  return {
    received_at: receivedAt,
    topic: "t",
    partition: 0,
    offset,
    reason: "invalid_json",
    detail: "",
    raw: "{",
    key: "",
  };
}

async function deadLetterDays(): Promise<number> {
  const rows = await engine.query<{ days: number }>(
    sql`SELECT uniqExact(partition) AS days FROM system.parts WHERE database = ${database} AND table = 'dead_letters' AND active`,
  );
  return rows[0]?.days ?? 0;
}

describe("serve and retention", () => {
  it("drops dead-letter days older than retention.dead_letters at start-up and keeps recent ones", async () => {
    await applyMigrations(engine, database);
    const now = Date.now();
    await engine.insert(qualifiedName(database, "dead_letters"), [
      deadLetter(new Date(now - 40 * DAY_MS), 1),
      deadLetter(new Date(now - 30 * DAY_MS), 2),
      deadLetter(new Date(now), 3),
    ]);
    expect(await deadLetterDays()).toBe(3);

    const config = parseConfig(
      `server: { port: 0, host: 127.0.0.1 }
clickhouse: { database: ${database}, url: ${clickHouseUrl()} }
retention: { dead_letters: 7 }`,
    );
    const service = await startService({ config, roles: [], logger: pino({ level: "silent" }) });
    try {
      const deadline = Date.now() + 15_000;
      while ((await deadLetterDays()) > 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await deadLetterDays()).toBe(1);
      const kept = await engine.query<{ offset: number }>(
        sql`SELECT \`offset\` FROM ${tableRef(database, "dead_letters")}`,
      );
      expect(kept).toEqual([{ offset: 3 }]);
    } finally {
      expect(await service.stop("test done")).toBe(0);
    }
  });
});
