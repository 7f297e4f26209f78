// `driftwatch copy` onto a ClickHouse cluster (issue 15, item 5): the seeded single-node install
// (a fresh database on the test stack's server) is copied into a 2 shards × 2 replicas cluster of
// this file's own (`stack up --cluster` under a temp directory), through the Distributed tables.
// Every table verifies, rows land on both shards and on both replicas of each, the target's
// views rebuild the model catalog, and a second run copies nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterDown, clusterUp, type ClusterUpResult } from "../../src/stack/index.js";
import {
  applyMigrations,
  createHttpEngine,
  dropDatabase,
  sql,
  tableRef,
  type SqlEngine,
} from "../../src/store/index.js";
import { COPIED_TABLES } from "../../src/cli/copy/index.js";
import { contents, keys, runCopyCommand, seedCopySource } from "../support/copy-data.js";
import { clickHouseUrl, serverEngine, uniqueDatabase } from "../support/stack.js";

/** Base of the cluster's ports (it uses base … base + 62); DRIFTWATCH_COPY_CLUSTER_BASE_PORT overrides. */
const BASE_PORT = Number(process.env.DRIFTWATCH_COPY_CLUSTER_BASE_PORT ?? 25100);
const CLUSTER = "driftwatch";
const sourceDatabase = uniqueDatabase("copy_src");
const targetDatabase = uniqueDatabase("copy_cluster");
const dir = mkdtempSync(join(tmpdir(), "dw-copy-cluster-"));
let cluster: ClusterUpResult | undefined;
let source: SqlEngine;
let target: SqlEngine;
const engines: SqlEngine[] = [];

function copy(...args: string[]) {
  return runCopyCommand(
    {
      DRIFTWATCH_CLICKHOUSE_URL: cluster!.env.DRIFTWATCH_CLICKHOUSE_URL,
      DRIFTWATCH_CLICKHOUSE_DATABASE: targetDatabase,
      DRIFTWATCH_CLICKHOUSE_CLUSTER: CLUSTER,
    },
    ["--from", clickHouseUrl(), "--source-database", sourceDatabase, ...args],
  );
}

/** A plain engine on one server of the cluster, to look at its own `_local` tables. */
function serverOf(name: string): SqlEngine {
  const server = cluster!.clickhouse.find((candidate) => candidate.name === name)!;
  const engine = createHttpEngine({ url: server.url, requestTimeoutMs: 60_000 });
  engines.push(engine);
  return engine;
}

async function localRows(engine: SqlEngine, table: string): Promise<number> {
  const [row] = await engine.query<{ n: number }>(
    sql`SELECT count() AS n FROM ${tableRef(targetDatabase, `${table}_local`)}`,
  );
  return Number(row!.n);
}

beforeAll(async () => {
  cluster = await clusterUp({ dir, basePort: BASE_PORT, env: {} });
  source = serverEngine();
  target = createHttpEngine({
    url: cluster.env.DRIFTWATCH_CLICKHOUSE_URL,
    cluster: CLUSTER,
    requestTimeoutMs: 300_000,
  });
  await applyMigrations(source, sourceDatabase);
  await seedCopySource(source, sourceDatabase);
  await applyMigrations(target, targetDatabase);
}, 600_000);

afterAll(async () => {
  await source?.close();
  if (source !== undefined) {
    const engine = serverEngine();
    await dropDatabase(engine, sourceDatabase).catch(() => undefined);
    await engine.close();
  }
  await target?.close();
  for (const engine of engines) await engine.close();
  await clusterDown({ dir, basePort: BASE_PORT, env: {} }).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}, 300_000);

describe("driftwatch copy onto a cluster", () => {
  it("copies every table through the Distributed tables and verifies it", async () => {
    const run = await copy("--page-keys", "400");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("verified: the target holds every source row");
    for (const { table } of COPIED_TABLES) {
      expect(await contents(target, targetDatabase, table), table).toEqual(
        await contents(source, sourceDatabase, table),
      );
    }
  });

  it("spreads predictions over both shards and replicates each shard", async () => {
    const [s1r1, s1r2, s2r1, s2r2] = ["s1r1", "s1r2", "s2r1", "s2r2"].map((name) =>
      serverOf(`clickhouse-${name}`),
    );
    const shard1 = await localRows(s1r1!, "predictions");
    const shard2 = await localRows(s2r1!, "predictions");
    expect(shard1).toBeGreaterThan(0);
    expect(shard2).toBeGreaterThan(0);
    expect(shard1 + shard2).toBe(1540);
    // Replication is asynchronous: the second replica of each shard catches up.
    const deadline = Date.now() + 60_000;
    while (
      ((await localRows(s1r2!, "predictions")) !== shard1 ||
        (await localRows(s2r2!, "predictions")) !== shard2) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await localRows(s1r2!, "predictions")).toBe(shard1);
    expect(await localRows(s2r2!, "predictions")).toBe(shard2);
  });

  it("a second run copies nothing", async () => {
    const before = await keys(target, targetDatabase, "predictions");
    const run = await copy();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/copied [1-9]/);
    expect(await keys(target, targetDatabase, "predictions")).toBe(before);
  });
});
