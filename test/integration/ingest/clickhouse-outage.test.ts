// ClickHouse stopped in the middle of a stream and started again: the ingester pauses, retries
// with backoff and resumes; every event ends up stored exactly once. Uses a private ClickHouse
// (its own ports and directory) so the shared one is never touched.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startPrivateClickHouse, type PrivateClickHouse } from "../../../src/stack/index.js";
import { waitFor } from "../../support/clock.js";
import {
  createIngestTestEnv,
  type IngestTestEnv,
  predictionRecords,
  produce,
  startIngester,
  tableCounts,
  uncommitted,
} from "../../support/ingest.js";

let clickhouse: PrivateClickHouse;
let env: IngestTestEnv;

beforeAll(async () => {
  clickhouse = await startPrivateClickHouse();
  env = await createIngestTestEnv("outage", { clickhouseUrl: clickhouse.url });
});

afterAll(async () => {
  await clickhouse?.start().catch(() => undefined);
  await env?.cleanup();
  await clickhouse?.destroy();
});

it("loses and duplicates nothing when ClickHouse stops mid-stream", async () => {
  const total = 6_000;
  const chunk = 500;
  const ingest = await startIngester(env, { batchMaxRows: 500, batchMaxWaitMs: 100 });
  for (let from = 0; from < total / 2; from += chunk) {
    await produce(env.kafka, env.topics.predictions, predictionRecords(chunk, { from }));
  }
  await waitFor(
    "part of the stream stored",
    () => tableCounts(env.engine, env.database, "predictions"),
    (c) => c.rows > 0,
  );

  await clickhouse.stop();
  for (let from = total / 2; from < total; from += chunk) {
    await produce(env.kafka, env.topics.predictions, predictionRecords(chunk, { from }));
  }
  // Writes fail, consumption pauses, nothing is committed past what was stored.
  await waitFor(
    "the ingester to notice",
    () => ingest.metric("driftwatch_ingest_paused"),
    (paused) => paused === 1,
    30_000,
  );
  expect(ingest.ingester.readiness()).toMatch(/writes are failing/);
  await new Promise((resolve) => setTimeout(resolve, 1_500));

  await clickhouse.start();
  const counts = await waitFor(
    "every event stored",
    () => tableCounts(env.engine, env.database, "predictions"),
    (c) => c.final >= total,
    60_000,
  );
  await waitFor(
    "offsets committed",
    () => uncommitted(env, env.topics.predictions),
    (n) => n === 0,
    15_000,
  );
  expect(await tableCounts(env.engine, env.database, "predictions")).toEqual({
    rows: total,
    final: total,
    distinct: total,
  });
  expect(counts.distinct).toBe(total);
  expect(await ingest.metric("driftwatch_ingest_paused")).toBe(0);
  expect(await ingest.metric("driftwatch_ingest_write_failures_total")).toBeGreaterThan(0);
  expect(ingest.ingester.readiness()).toBe("");
  expect(await ingest.ingester.stop()).toBe(true);
  expect(ingest.fatal).toEqual([]);
});
