// Ingestion under faults, on a private Kafka broker and a private ClickHouse 18.16, each fault at a
// deterministic point of the ingester (DRIFTWATCH_TEST_HOOKS), never after a sleep:
// - the ingester SIGKILLed after an insert and before its offset commit: the group's committed
//   offsets, read from the broker, prove the batch was redelivered; it is skipped, not re-stored;
// - the Kafka broker SIGKILLed mid-stream and restarted while events keep coming;
// - ClickHouse SIGKILLed as an insert goes out, down for several retries, and restarted.
// After each: every event acknowledged by the broker is stored, none counted twice (FINAL and
// uniqExact), the consumer group has committed everything, and SIGTERM exits 0.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { exitWithin } from "../support/cli.js";
import { waitFor } from "../support/clock.js";
import {
  createIngestTestEnv,
  type IngestTestEnv,
  predictionRecords,
  produce,
  tableCounts,
  uncommitted,
  writeConfigFile,
} from "../support/ingest.js";
import { killServeChildren, scrape, servedPort, spawnServe } from "../support/serve.js";
import { committedTotal, produceThroughOutages, reached, resumeSignal } from "./faults-support.js";
import { startPrivateServers, type PrivateServers } from "./private-servers.js";

let servers: PrivateServers;
let env: IngestTestEnv | undefined;

beforeAll(async () => {
  servers = await startPrivateServers();
});

afterEach(async () => {
  await killServeChildren();
  // A test that failed half-way may have left a server down.
  await Promise.all([servers.kafka.start(), servers.clickhouse.start()]);
  await env?.cleanup();
  env = undefined;
});

afterAll(async () => {
  await servers?.destroy();
});

async function privateEnv(tag: string): Promise<IngestTestEnv> {
  return createIngestTestEnv(tag, {
    clickhouseUrl: servers.clickhouse.url,
    brokers: servers.kafka.brokers,
  });
}

async function storedExactlyOnce(environment: IngestTestEnv, total: number): Promise<void> {
  await waitFor(
    `all ${total} events stored`,
    () => tableCounts(environment.engine, environment.database, "predictions"),
    (counts) => counts.final >= total && counts.distinct >= total,
    120_000,
  );
  // Give a redelivered tail the chance to show up as a second copy before counting raw rows.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const counts = await tableCounts(environment.engine, environment.database, "predictions");
  expect({ final: counts.final, distinct: counts.distinct }).toEqual({
    final: total,
    distinct: total,
  });
}

describe("ingestion under faults", () => {
  it("redelivers a batch stored but not committed when the ingester is SIGKILLed between the two, and skips it", async () => {
    env = await privateEnv("killcommit");
    // Batches of about one fetch per partition (~2,000 events): the third is far from the end.
    const total = 20_000;
    await produce(env.kafka, env.topics.predictions, predictionRecords(total));
    const config = writeConfigFile(env, { batchMaxRows: 1_000, batchMaxWaitMs: 100 });

    const first = spawnServe(config, "ingest", { plan: "ingest.stored=kill@3" });
    expect(await exitWithin(first, 120_000)).toBe("SIGKILL");
    expect(first.stderr()).toContain("driftwatch-test-hook ingest.stored 3\n");
    // The third batch is in ClickHouse, its offsets are not committed: more rows than commits.
    const atKill = await tableCounts(env.engine, env.database, "predictions");
    const committedAtKill = await committedTotal(env, env.topics.predictions);
    expect(atKill.rows).toBeGreaterThan(committedAtKill);
    expect(atKill.rows).toBeLessThan(total);

    const second = spawnServe(config, "ingest");
    await storedExactlyOnce(env, total);
    // Redelivery happened: the restarted ingester read the uncommitted records again and
    // skipped each one already stored, by its stored position.
    const port = await waitFor("the metrics port", async () => servedPort(second), Boolean);
    const skipped = await scrape(port!, "driftwatch_ingest_redelivered_skipped_total");
    expect(skipped).toBe(atKill.rows - committedAtKill);
    expect((await tableCounts(env.engine, env.database, "predictions")).rows).toBe(total);
    await waitFor(
      "every offset committed",
      () => committedTotal(env!, env!.topics.predictions),
      (committed) => committed === total,
    );
    second.process.kill("SIGTERM");
    expect(await exitWithin(second, 30_000)).toBe(0);
  });

  it("loses and doubles nothing when the broker is SIGKILLed mid-stream and restarted", async () => {
    env = await privateEnv("brokerkill");
    const config = writeConfigFile(env, { batchMaxRows: 1_000, batchMaxWaitMs: 100 });
    const resume = resumeSignal();
    const ingester = spawnServe(config, "ingest", {
      plan: "ingest.stored=pause@2",
      resumePath: resume.path,
    });
    const total = 8_000;
    const records = predictionRecords(total);
    // The first half, then the broker dies while the ingester holds a stored, uncommitted batch.
    await produce(env.kafka, env.topics.predictions, records.slice(0, total / 2));
    await reached(ingester, "ingest.stored", 2);
    await servers.kafka.kill();
    const producing = produceThroughOutages(env, records.slice(total / 2));
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // producers and consumer see it down
    await servers.kafka.start();
    resume.resume();
    await producing;
    await storedExactlyOnce(env, total);
    await waitFor(
      "every message committed",
      () => uncommitted(env!, env!.topics.predictions),
      (left) => left === 0,
      120_000,
    );
    ingester.process.kill("SIGTERM");
    expect(await exitWithin(ingester, 30_000)).toBe(0);
  });

  it("retries through a ClickHouse SIGKILLed as an insert goes out, and stores everything once after its restart", async () => {
    env = await privateEnv("chkill");
    const total = 5_000;
    await produce(env.kafka, env.topics.predictions, predictionRecords(total));
    const config = writeConfigFile(env, { batchMaxRows: 1_000, batchMaxWaitMs: 100 });
    const resume = resumeSignal();
    const ingester = spawnServe(config, "ingest", {
      plan: "ingest.inserting=pause@3",
      resumePath: resume.path,
    });
    await reached(ingester, "ingest.inserting", 3);
    await servers.clickhouse.kill();
    resume.resume();
    const port = await waitFor("the metrics port", async () => servedPort(ingester), Boolean);
    // At least two retry cycles against the dead server, consumption paused meanwhile.
    await waitFor(
      "two failed attempts",
      () => scrape(port!, "driftwatch_ingest_write_failures_total"),
      (failures) => failures >= 2,
      60_000,
    );
    expect(await scrape(port!, "driftwatch_ingest_paused")).toBe(1);
    await servers.clickhouse.start();
    await storedExactlyOnce(env, total);
    expect(await scrape(port!, "driftwatch_ingest_paused")).toBe(0);
    expect(await scrape(port!, "driftwatch_ingest_dead_letters_total")).toBe(0);
    await waitFor(
      "every message committed",
      () => uncommitted(env!, env!.topics.predictions),
      (left) => left === 0,
    );
    ingester.process.kill("SIGTERM");
    expect(await exitWithin(ingester, 30_000)).toBe(0);
  });
});
