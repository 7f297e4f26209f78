// The CLI around ingestion: `send` reports invalid lines and keys records by event_id; an event
// dead-lettered for its size and replayed with `dlq replay` after the limit is raised is stored
// exactly once, and a second replay sends nothing.
import { afterEach, expect, it } from "vitest";
import { AuditLog } from "../../../src/audit/index.js";
import { sql, tableRef } from "../../../src/store/index.js";
import { driftwatch } from "../../support/cli.js";
import { waitFor } from "../../support/clock.js";
import {
  createIngestTestEnv,
  deadLetterCount,
  type IngestTestEnv,
  produce,
  readTopic,
  type RunningIngester,
  startIngester,
  tableCounts,
  uncommitted,
  writeConfigFile,
} from "../../support/ingest.js";

let env: IngestTestEnv | undefined;
let running: RunningIngester | undefined;

afterEach(async () => {
  await running?.ingester.stop();
  running = undefined;
  await env?.cleanup();
  env = undefined;
});

it("replays an event dead-lettered for size once the limit is raised, storing it once", async () => {
  env = await createIngestTestEnv("replay");
  const config = writeConfigFile(env);
  const big = JSON.stringify({
    event_id: "big-1",
    model: "m",
    features: { text: "z".repeat(3_000), n: 7 },
  });
  const small = (i: number) =>
    JSON.stringify({ event_id: `small-${i}`, model: "m", features: { n: i } });
  running = await startIngester(env, { maxEventBytes: 1_000 });
  await produce(env.kafka, env.topics.predictions, [
    { key: "small-1", value: small(1) },
    { key: "big-1", value: big },
    { key: "small-2", value: small(2) },
  ]);
  await waitFor(
    "the dead letter",
    () => deadLetterCount(env!.engine, env!.database),
    (n) => n >= 1,
  );
  await waitFor(
    "the small events",
    () => tableCounts(env!.engine, env!.database, "predictions"),
    (c) => c.final >= 2,
  );
  const listed = await driftwatch([
    "dlq",
    "list",
    "--config",
    config,
    "--reason",
    "too_large",
    "--json",
  ]);
  expect(listed.code).toBe(0);
  const list = JSON.parse(listed.stdout) as {
    total: number;
    dead_letters: { bytes: number; replayed_at: string | null; detail: string }[];
  };
  expect(list.total).toBe(1);
  expect(list.dead_letters[0]).toMatchObject({ bytes: Buffer.byteLength(big), replayed_at: null });
  expect(list.dead_letters[0]!.detail).toMatch(/limit ingest\.maxEventBytes is 1000/);

  // The fix: a larger limit (a restarted ingester with the new config), then the replay.
  expect(await running.ingester.stop()).toBe(true);
  running = await startIngester(env, { maxEventBytes: 1_048_576 });
  const replay = await driftwatch([
    "dlq",
    "replay",
    "--config",
    config,
    "--reason",
    "too_large",
    "--author",
    "oncall-ana",
  ]);
  expect(replay.stderr).not.toMatch(/error/i);
  expect(replay.code).toBe(0);
  expect(replay.stdout).toMatch(/^replayed 1 dead letters/);
  await waitFor(
    "the replayed event",
    () => tableCounts(env!.engine, env!.database, "predictions"),
    (c) => c.final >= 3,
  );
  const [stored] = await env.engine.query<{ n: number; len: number }>(sql`
    SELECT num_values[indexOf(num_names, 'n')] AS n, length(cat_values[indexOf(cat_names, 'text')]) AS len
    FROM ${tableRef(env.database, "predictions")} WHERE event_id = 'big-1'`);
  expect(stored).toEqual({ n: 7, len: 3_000 });

  // The replay is in the audit log, with who did it.
  const audit = await new AuditLog(env.engine, env.database).list();
  expect(audit.map((entry) => [entry.action, entry.actor, entry.target])).toEqual([
    ["dlq.replay", "oncall-ana", env.topics.predictions],
  ]);
  expect(audit[0]!.detail).toMatchObject({ replayed: 1, byReason: { too_large: 1 } });

  // A second replay of the same selection sends nothing (and changes nothing to audit).
  const again = await driftwatch(["dlq", "replay", "--config", config, "--reason", "too_large"]);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/^replayed 0 dead letters/);
  expect(await new AuditLog(env.engine, env.database).list()).toHaveLength(1);
  await waitFor(
    "offsets committed",
    () => uncommitted(env!, env!.topics.predictions),
    (n) => n === 0,
    10_000,
  );
  expect(await tableCounts(env.engine, env.database, "predictions")).toEqual({
    rows: 3,
    final: 3,
    distinct: 3,
  });
  expect(await deadLetterCount(env.engine, env.database)).toBe(1);
  const relisted = JSON.parse(
    (await driftwatch(["dlq", "list", "--config", config, "--json"])).stdout,
  ) as {
    replayed: number;
    dead_letters: { replayed_at: string | null }[];
  };
  expect(relisted.replayed).toBe(1);
  expect(relisted.dead_letters[0]!.replayed_at).not.toBeNull();
});

it("sends a JSON-lines file, reporting invalid lines by number, and reads stdin", async () => {
  env = await createIngestTestEnv("send");
  const config = writeConfigFile(env);
  const line = (i: number) =>
    JSON.stringify({ event_id: `s-${i}`, model: "m", features: { x: i } });
  const file = [
    line(1),
    line(2),
    "{broken",
    "",
    line(3),
    JSON.stringify({ event_id: "s-4", model: "m" }),
    line(5),
  ].join("\n");
  const sent = await driftwatch(
    ["send", "--config", config, "--file", "-", "--topic", env.topics.predictions, "--batch", "2"],
    file,
  );
  expect(sent.code).toBe(1);
  expect(sent.stdout).toMatch(
    /^sent 4 of 6 lines to dwtest\.send\.[0-9a-f]+\.predictions; 2 failed/,
  );
  expect(sent.stdout).toMatch(/line 3: invalid_json: /);
  expect(sent.stdout).toMatch(/line 6: missing_field: features: required/);
  const records = await readTopic(env.kafka, env.topics.predictions, 4);
  expect(records.map((r) => r.key?.toString()).sort()).toEqual(["s-1", "s-2", "s-3", "s-5"]);
  expect(records.find((r) => r.key?.toString() === "s-3")?.value?.toString()).toBe(line(3));

  const labels = [1, 2]
    .map((i) => JSON.stringify({ event_id: `s-${i}`, model: "m", label: i }))
    .join("\n");
  const labelled = await driftwatch(
    ["send", "--config", config, "--file", "-", "--topic", env.topics.labels, "--json"],
    labels,
  );
  expect(labelled.code).toBe(0);
  expect(JSON.parse(labelled.stdout)).toEqual({
    topic: env.topics.labels,
    lines: 2,
    sent: 2,
    failed: [],
  });

  const missing = await driftwatch([
    "send",
    "--config",
    config,
    "--file",
    "/nonexistent/events.jsonl",
  ]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/cannot read \/nonexistent\/events\.jsonl/);
});
