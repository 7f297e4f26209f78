// `driftwatch copy` onto a ClickHouse cluster (issue 15, item 5): the seeded single-node install
// (a fresh database on the test stack's server) is copied into a 2 shards × 2 replicas cluster
// (the cluster project's shared one; run alone, one of the file's own on ports from
// DRIFTWATCH_COPY_CLUSTER_BASE_PORT, default 25100), through the Distributed tables.
// Every table verifies, rows land on both shards and on both replicas of each, the target's
// views rebuild the model catalog, and a second run copies nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterDown, clusterUp } from "../../src/stack/index.js";
import {
  applyMigrations,
  createHttpEngine,
  dropDatabase,
  ident,
  sql,
  tableRef,
  type SqlEngine,
} from "../../src/store/index.js";
import { COPIED_TABLES } from "../../src/cli/copy/index.js";
import { CLUSTER_PROVIDE_KEY, sharedTestCluster } from "../support/cluster.js";
import { contents, keys, runCopyCommand, seedCopySource } from "../support/copy-data.js";
import { clickHouseUrl, serverEngine, uniqueDatabase } from "../support/stack.js";

/** Base of the ports of a cluster of the file's own (base … base + 62). */
const BASE_PORT = Number(process.env.DRIFTWATCH_COPY_CLUSTER_BASE_PORT ?? 25100);
const CLUSTER = "driftwatch";
const sourceDatabase = uniqueDatabase("copy_src");
const targetDatabase = uniqueDatabase("copy_cluster");
interface CopyCluster {
  readonly env: Readonly<Record<string, string>>;
  readonly clickhouse: readonly { readonly name: string; readonly url: string }[];
  stop(): Promise<void>;
}

let cluster: CopyCluster | undefined;
let source: SqlEngine;
let target: SqlEngine;
const engines: SqlEngine[] = [];

function copy(...args: string[]) {
  return runCopyCommand(
    {
      DRIFTWATCH_CLICKHOUSE_URL: cluster!.env.DRIFTWATCH_CLICKHOUSE_URL!,
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

/** The cluster project's shared cluster, else one of this file's own on BASE_PORT. */
async function startCluster(): Promise<CopyCluster> {
  const { inject } = await import("vitest");
  if (inject(CLUSTER_PROVIDE_KEY) !== undefined) return sharedTestCluster();
  const dir = mkdtempSync(join(tmpdir(), "dw-copy-cluster-"));
  const up = await clusterUp({ dir, basePort: BASE_PORT, env: {} });
  const env = Object.fromEntries(
    Object.entries(up.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return {
    env,
    clickhouse: up.clickhouse,
    async stop() {
      await clusterDown({ dir, basePort: BASE_PORT, env: {} }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

beforeAll(async () => {
  cluster = await startCluster();
  source = serverEngine();
  target = createHttpEngine({
    url: cluster.env.DRIFTWATCH_CLICKHOUSE_URL!,
    cluster: CLUSTER,
    requestTimeoutMs: 300_000,
  });
  await applyMigrations(source, sourceDatabase);
  await seedCopySource(source, sourceDatabase);
  await applyMigrations(target, targetDatabase);
}, 600_000);

afterAll(async () => {
  if (source !== undefined) {
    await dropDatabase(source, sourceDatabase).catch(() => undefined);
    await source.close();
  }
  if (target !== undefined) {
    // The shared cluster outlives this file: its database goes from every server.
    await target
      .command(sql`DROP DATABASE IF EXISTS ${ident(targetDatabase)} ON CLUSTER ${ident(CLUSTER)}`)
      .catch(() => undefined);
    await target.close();
  }
  for (const engine of engines) await engine.close();
  await cluster?.stop();
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
