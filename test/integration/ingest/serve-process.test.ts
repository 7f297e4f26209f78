// `driftwatch serve` as a child process: killed with SIGKILL mid-stream and restarted it loses and
// duplicates nothing; on SIGTERM it writes the batch in hand, commits and exits 0.
import { afterEach, expect, it } from "vitest";
import { type Child, exitWithin, runDriftwatch } from "../../support/cli.js";
import { waitFor } from "../../support/clock.js";
import {
  createIngestTestEnv,
  type IngestTestEnv,
  predictionRecords,
  produce,
  tableCounts,
  uncommitted,
  writeConfigFile,
} from "../../support/ingest.js";
import { scrape, servedPort } from "../../support/serve.js";

let env: IngestTestEnv | undefined;
const children: Child[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill("SIGKILL");
      await child.exited;
    }
  }
  await env?.cleanup();
  env = undefined;
});

function serve(config: string, role = "ingest"): Child {
  const child = runDriftwatch(["serve", "--config", config, "--role", role]);
  children.push(child);
  return child;
}

/** Produce events from..total-1 in chunks, pausing between them (a stream, not a burst). */
async function stream(
  environment: IngestTestEnv,
  from: number,
  total: number,
  chunk = 1_000,
): Promise<void> {
  for (let start = from; start < total; start += chunk) {
    await produce(
      environment.kafka,
      environment.topics.predictions,
      predictionRecords(Math.min(chunk, total - start), { from: start }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("loses and duplicates nothing when killed with SIGKILL mid-stream and restarted", async () => {
  env = await createIngestTestEnv("sigkill");
  const config = writeConfigFile(env, { batchMaxRows: 1_000, batchMaxWaitMs: 100 });
  const total = 20_000;
  const first = serve(config);
  const producing = stream(env, 0, total);
  await waitFor(
    "some rows stored",
    () => tableCounts(env!.engine, env!.database, "predictions"),
    (c) => c.rows >= 4_000,
    60_000,
    50,
  );
  first.process.kill("SIGKILL");
  expect(await first.exited).toBe("SIGKILL");
  const atKill = await tableCounts(env.engine, env.database, "predictions");
  expect(atKill.rows).toBeLessThan(total);
  await producing;

  const second = serve(config);
  await waitFor(
    "every event stored",
    () => tableCounts(env!.engine, env!.database, "predictions"),
    (c) => c.final >= total,
    90_000,
  );
  // Give a redelivered tail the chance to show up as duplicates before counting raw rows.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await tableCounts(env.engine, env.database, "predictions")).toEqual({
    rows: total,
    final: total,
    distinct: total,
  });
  second.process.kill("SIGTERM");
  expect(await exitWithin(second, 30_000)).toBe(0);
});

it("writes the batch in hand, commits and exits 0 on SIGTERM", async () => {
  env = await createIngestTestEnv("sigterm");
  // Batches that never fill nor time out by themselves: only the shutdown can write them.
  const config = writeConfigFile(env, { batchMaxRows: 100_000, batchMaxWaitMs: 600_000 });
  const child = runDriftwatch(["serve", "--config", config, "--role", "all"], undefined, {
    DRIFTWATCH_LOG_LEVEL: "info",
  });
  children.push(child);
  const total = 3_500;
  await produce(env.kafka, env.topics.predictions, predictionRecords(total));
  const port = await waitFor(
    "the metrics port",
    async () => servedPort(child),
    (p) => p !== undefined,
  );
  await waitFor(
    "every event consumed",
    () => scrape(port!, "driftwatch_ingest_events_consumed_total"),
    (n) => n >= total,
  );
  expect((await tableCounts(env.engine, env.database, "predictions")).rows).toBe(0);

  child.process.kill("SIGTERM");
  // Exit code 0 means the batch was stored and its offsets committed (1 otherwise).
  expect(await exitWithin(child, 30_000)).toBe(0);
  expect(await tableCounts(env.engine, env.database, "predictions")).toEqual({
    rows: total,
    final: total,
    distinct: total,
  });
  expect(await uncommitted(env, env.topics.predictions)).toBe(0);
  expect(child.stderr()).toMatch(/"clean":true,"msg":"ingester stopped"/);
});
