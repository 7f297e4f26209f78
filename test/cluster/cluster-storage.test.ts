// Storage on a ClickHouse cluster (issue 15, item 2), on the cluster project's test cluster
// (ZooKeeper, ClickHouse 18.16 2 shards × 2 replicas: test/support/cluster.ts) and a private
// Kafka broker (one broker: the test's topics have one replica):
// - three instances migrating at once through three servers all succeed and leave on every
//   server Distributed tables under the fixed names over Replicated `_local` tables;
// - the service's reads through the fixed names: a resent event counts once (FINAL, uniqExact),
//   re-evaluated results collapse (the API's FINAL queries), IN / JOIN between two Distributed
//   tables answers as on one server;
// - retention drops an old day's partition on every shard;
// - the binned path's stored hourly aggregates (materialized views on each shard's `_local`
//   table, merged across shards through the Distributed tables) give the scan's counts and are
//   used only while their census matches the stored events; reference summaries are kept;
// - the ingester, with both replicas of shard 2 stopped while it inserts: shard 1 stores its part
//   of a failing insert, the ingester is stopped, shard 2 comes back, a new ingester resumes and
//   every event is stored exactly once (the stored positions are read per shard).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryDriftResults } from "../../src/api/result-queries.js";
import { StoredPositions } from "../../src/ingest/stored-positions.js";
import { validatePrediction } from "../../src/ingest/validate.js";
import { startPrivateKafka, type PrivateKafka } from "../../src/stack/index.js";
import {
  applyMigrations,
  applyRetention,
  appliedMigrationVersions,
  createHttpEngine,
  deleteRows,
  dropDatabase,
  MIGRATIONS,
  pendingMutations,
  sql,
  tableRef,
  tablesWithColumn,
  type SqlEngine,
} from "../../src/store/index.js";
import { ReferenceProfiles } from "../../src/monitor/reference-profile.js";
import { predictionsSource } from "../../src/monitor/row-source.js";
import { numericHistograms } from "../../src/monitor/server-histograms.js";
import { MAX_STRADDLE_SHARE, readStoredWindow } from "../../src/monitor/stored-window.js";
import { categoryCounts, settleSource } from "../../src/monitor/window-data.js";
import { DATA_START, HOUR, waitFor } from "../support/clock.js";
import { histogramRequests, insertEvents } from "../support/monitor.js";
import {
  createIngestTestEnv,
  predictionRecords,
  produce,
  startIngester,
  tableCounts,
  readTopic,
  type IngestTestEnv,
  type RunningIngester,
} from "../support/ingest.js";
import { uniqueDatabase } from "../support/stack.js";
import { sharedTestCluster, type TestCluster } from "../support/cluster.js";

interface ClusterServer {
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

let testCluster: TestCluster;
/** Shard 1 replica 1, shard 1 replica 2, shard 2 replica 1, shard 2 replica 2. */
let cluster: { readonly name: string; readonly servers: readonly ClusterServer[] };
let kafka: PrivateKafka;
const engines: SqlEngine[] = [];
const database = uniqueDatabase("cluster");

/** An engine on server `i` (0: shard 1 replica 1 … 3: shard 2 replica 2) with the cluster set. */
function clusterEngine(i: number): SqlEngine {
  const engine = createHttpEngine({
    url: cluster.servers[i]!.url,
    cluster: cluster.name,
    requestTimeoutMs: 300_000,
  });
  engines.push(engine);
  return engine;
}

/** A plain engine on server `i`, for looking at that server's own tables. */
function serverEngine(i: number): SqlEngine {
  const engine = createHttpEngine({ url: cluster.servers[i]!.url, requestTimeoutMs: 30_000 });
  engines.push(engine);
  return engine;
}

/** Every replica has fetched what the other replica of its shard stored (reads see one replica). */
async function syncReplicas(...tables: string[]): Promise<void> {
  for (const i of [0, 1, 2, 3]) {
    for (const table of tables) {
      await serverEngine(i).command(sql`SYSTEM SYNC REPLICA ${tableRef(database, table)}`);
    }
  }
}

beforeAll(async () => {
  [testCluster, kafka] = await Promise.all([sharedTestCluster(), startPrivateKafka()]);
  const name = testCluster.env.DRIFTWATCH_CLICKHOUSE_CLUSTER!;
  const servers = [...testCluster.clickhouse]
    .sort((a, b) => a.shard - b.shard || a.replica - b.replica)
    .map((server) => ({ url: server.url, ...bound(testCluster.server(server.name)) }));
  cluster = { name, servers };
});

/** stop/start of a server handle, callable detached. */
function bound(handle: { stop(): Promise<void>; start(): Promise<void> }) {
  return { stop: () => handle.stop(), start: () => handle.start() };
}

afterAll(async () => {
  // Servers this file stopped are up again for the next file of the cluster project.
  if (testCluster !== undefined) await testCluster.up();
  if (cluster !== undefined) await dropDatabase(clusterEngine(0), database).catch(() => undefined);
  await Promise.all(engines.map((engine) => engine.close()));
  await Promise.all([testCluster?.stop(), kafka?.destroy()]);
});

describe("storage on a ClickHouse cluster", () => {
  it("three instances migrating at once through three servers all succeed", async () => {
    const applied = await Promise.all(
      [0, 1, 2].map((i) => applyMigrations(clusterEngine(i), database)),
    );
    // Each saw an empty schema and ran every migration; all statements were idempotent.
    for (const list of applied) expect(list.length).toBe(MIGRATIONS.length);
    expect(await applyMigrations(clusterEngine(3), database)).toEqual([]);
    expect([...(await appliedMigrationVersions(clusterEngine(3), database))]).toEqual(
      MIGRATIONS.map((migration) => migration.version),
    );
    for (const i of [0, 1, 2, 3]) {
      const tables = await serverEngine(i).query<{ name: string; engine: string }>(
        sql`SELECT name, engine FROM system.tables WHERE database = ${database} ORDER BY name`,
      );
      const byName = new Map(tables.map((table) => [table.name, table.engine]));
      for (const [name, engine] of byName) {
        if (engine !== "Distributed") continue;
        expect(byName.get(`${name}_local`), `${name}_local on server ${i}`).toMatch(
          /^Replicated\w*MergeTree$/,
        );
      }
      expect(byName.get("predictions")).toBe("Distributed");
      expect(byName.get("predictions_local")).toBe("ReplicatedReplacingMergeTree");
      expect(byName.get("ingest_positions_predictions")).toBe("MaterializedView");
      // Migration 9's columns reached both the local and the Distributed table.
      const [columns] = await serverEngine(i).query<{ n: number }>(
        sql`SELECT count() AS n FROM system.columns
  WHERE database = ${database} AND name = 'band_lower' AND table LIKE 'performance_results%'`,
      );
      expect(Number(columns!.n)).toBe(2);
    }
  });

  it("reads through the fixed names answer as on one server", async () => {
    const engine = clusterEngine(1);
    await applyMigrations(engine, database); // (done by the first test when run together)
    const rows = (ingestedAt: number) =>
      Array.from({ length: 200 }, (_, i) => ({
        model: `m${i % 3}`,
        model_version: "v1",
        event_id: `e${i}`,
        ts: 1_765_000_000 + i,
        ts_ms: 0,
        num_names: ["x"],
        num_values: [i],
        cat_names: [],
        cat_values: [],
        missing_names: [],
        prediction: null,
        prediction_value: null,
        label: null,
        label_value: null,
        kafka_topic: "reads",
        kafka_partition: 0,
        kafka_offset: i,
        ingested_at: ingestedAt,
      }));
    await engine.insert(`${database}.predictions`, rows(1_765_000_000));
    await engine.insert(`${database}.predictions`, rows(1_765_000_100)); // every event resent
    await syncReplicas("predictions_local");
    const counts = await tableCounts(engine, database, "predictions");
    expect({ final: counts.final, distinct: counts.distinct, rows: counts.rows }).toEqual({
      final: 200,
      distinct: 200,
      rows: 400,
    });
    // Both shards hold a part of the events (the sharding key spreads them).
    const [shardOne] = await serverEngine(0).query<{ n: number }>(
      sql`SELECT uniqExact(event_id) AS n FROM ${tableRef(database, "predictions_local")}`,
    );
    expect(Number(shardOne!.n)).toBeGreaterThan(0);
    expect(Number(shardOne!.n)).toBeLessThan(200);

    // IN and JOIN over two Distributed tables (the window plan's shape).
    await engine.insert(
      `${database}.labels`,
      Array.from({ length: 50 }, (_, i) => ({
        model: "m0",
        event_id: `e${i * 3}`,
        label: "a",
        label_value: null,
        ts: 1_765_000_000,
        kafka_topic: "reads-labels",
        kafka_partition: 0,
        kafka_offset: i,
        ingested_at: 1_765_000_000,
      })),
    );
    await syncReplicas("labels_local");
    const [labelled] = await engine.query<{ n: number; joined: number }>(
      sql`SELECT uniqExact(event_id) AS n FROM ${tableRef(database, "predictions")}
  WHERE model = 'm0' AND event_id IN (SELECT event_id FROM ${tableRef(database, "labels")} WHERE model = 'm0')`,
    );
    expect(Number(labelled!.n)).toBe(50);
    const [joined] = await engine.query<{ n: number; found: number }>(
      sql`SELECT count() AS n, sum(late_found) AS found FROM (
    SELECT event_id FROM ${tableRef(database, "predictions")} WHERE model = 'm0' LIMIT 1 BY model, event_id
  ) AS events
  ANY LEFT JOIN (SELECT event_id, toUInt8(1) AS late_found FROM ${tableRef(database, "labels")} WHERE model = 'm0') USING event_id`,
    );
    expect({ n: Number(joined!.n), found: Number(joined!.found) }).toEqual({ n: 67, found: 50 });

    // A re-evaluated window's results collapse (the API reads with FINAL).
    const result = (computedAt: number, value: number) => ({
      model: "m0",
      model_version: "v1",
      window_start: 1_765_000_000,
      window_end: 1_765_003_600,
      feature: "x",
      metric: "psi",
      value,
      threshold: 0.2,
      drifted: 0,
      computed_at: computedAt,
    });
    await engine.insert(`${database}.drift_results`, [result(1_765_004_000, 0.1)]);
    await engine.insert(`${database}.drift_results`, [result(1_765_005_000, 0.3)]);
    await syncReplicas("drift_results_local");
    const drift = await queryDriftResults(engine, database, {
      model: "m0",
      from: 1_764_990_000_000,
      to: 1_765_010_000_000,
      limit: 10,
    });
    expect(drift.rows.map((row) => row.value)).toEqual([0.3]);
  });

  it("retention drops an old day's partition on every shard", async () => {
    const engine = clusterEngine(2);
    await applyMigrations(engine, database);
    const day = 86_400;
    const now = 1_765_000_000 + 40 * day;
    const old = Array.from({ length: 40 }, (_, i) => ({
      received_at: 1_765_000_000,
      topic: `t${i}`,
      partition: i,
      offset: i,
      reason: "invalid_json",
      detail: "",
      raw: "",
      key: "",
    }));
    const recent = old.map((row) => ({ ...row, received_at: now - 60 }));
    await engine.insert(`${database}.dead_letters`, [...old, ...recent]);
    const perShard = async () =>
      Promise.all(
        [0, 2].map(async (i) => {
          // The insert went to either replica of each shard: let this one catch up first.
          await serverEngine(i).command(
            sql`SYSTEM SYNC REPLICA ${tableRef(database, "dead_letters_local")}`,
          );
          const [row] = await serverEngine(i).query<{ old: number; recent: number }>(
            sql`SELECT countIf(received_at < ${now - day}) AS old, countIf(received_at >= ${now - day}) AS recent
  FROM ${tableRef(database, "dead_letters_local")}`,
          );
          return { old: Number(row!.old), recent: Number(row!.recent) };
        }),
      );
    const before = await perShard();
    expect(before.every((shard) => shard.old > 0)).toBe(true);
    const dropped = await applyRetention(
      engine,
      { clickhouse: { database }, retention: { dead_letters: 7 } },
      new Date(now * 1000),
    );
    expect(dropped).toEqual([{ table: "dead_letters", partition: 20251206 }]);
    await waitFor("replicas of both shards drop the day", perShard, (shards) =>
      shards.every((shard) => shard.old === 0),
    );
    expect((await perShard()).map((shard) => shard.recent)).toEqual(before.map((s) => s.recent));
    expect(before[0]!.recent + before[1]!.recent).toBe(40);
  });

  it("the binned path's stored hourly aggregates merge across shards as the scan counts", async () => {
    const engine = clusterEngine(0);
    await applyMigrations(engine, database);
    const window = { from: DATA_START + HOUR, to: DATA_START + 2 * HOUR };
    await insertEvents(engine, database, { model: "hist", ...window, rows: 20_000, seed: 11 });
    await syncReplicas(
      "predictions_local",
      "feature_histograms_local",
      "category_counts_local",
      "histogram_census_local",
    );
    // Both shards hold part of the window, each with its own views' rows.
    for (const i of [0, 2]) {
      const [local] = await serverEngine(i).query<{ n: number }>(
        sql`SELECT countMerge(n) AS n FROM ${tableRef(database, "histogram_census_local")} WHERE model = 'hist'`,
      );
      expect(Number(local!.n)).toBeGreaterThan(5_000);
    }
    const settled = await settleSource(
      engine,
      predictionsSource(database, "hist", "1", window.from, window.to),
    );
    expect(settled.census?.rows).toBe(20_000);
    const stored = await readStoredWindow(engine, settled.source.window!)!.verify(settled.census!);
    expect(stored).toBeDefined();
    const requests = await histogramRequests(engine, settled.source, ["x", "y", "_prediction"]);
    const { histograms, scan } = await stored!.histograms(requests);
    expect(scan).toEqual([]);
    const scanned = await numericHistograms(engine, settled.source, requests);
    for (const { feature } of requests) {
      const [cells, exact] = [histograms.get(feature)!, scanned.get(feature)!];
      expect([cells.n, cells.min, cells.max]).toEqual([exact.n, exact.min, exact.max]);
      exact.counts.forEach((count, bin) => {
        expect(Math.abs(cells.counts[bin]! - count)).toBeLessThanOrEqual(
          2 * MAX_STRADDLE_SHARE * exact.n,
        );
      });
    }
    expect(await stored!.categories()).toEqual(await categoryCounts(engine, settled.source));
    // A reference summary written through one server is read through another.
    const options = { categoricalNumbers: [], maxRows: 1_000_000, values: false, lasting: true };
    const first = await new ReferenceProfiles(engine, database).load(
      "hist",
      predictionsSource(database, "hist", "1", window.from, window.to),
      HOUR,
      options,
    );
    await syncReplicas("reference_profiles_local");
    const again = await new ReferenceProfiles(clusterEngine(3), database).load(
      "hist",
      predictionsSource(database, "hist", "1", window.from, window.to),
      HOUR,
      options,
    );
    expect([first.withValues, again.withValues]).toEqual([true, false]);
    expect(Array.from(again.numeric.get("x")!.fineEdges)).toEqual(
      Array.from(first.numeric.get("x")!.fineEdges),
    );
  });

  it("deletes reach every shard (the demo's replacement of an earlier run)", async () => {
    const engine = clusterEngine(3);
    await applyMigrations(engine, database);
    const tables = await tablesWithColumn(engine, database, "model");
    expect(tables).toContain("predictions");
    expect(tables.some((table) => table.endsWith("_local"))).toBe(false);
    const rows = Array.from({ length: 60 }, (_, i) => ({
      model: `del${i % 2}`,
      event_id: `d${i}`,
      label: "a",
      label_value: null,
      ts: 1_765_000_000,
      kafka_topic: "deletes",
      kafka_partition: 0,
      kafka_offset: i,
      ingested_at: 1_765_000_000,
    }));
    await engine.insert(`${database}.labels`, rows);
    await deleteRows(engine, database, "labels", sql`model = 'del0'`);
    await waitFor(
      "the mutation done on every shard",
      () => pendingMutations(engine, database),
      (n) => n === 0,
    );
    for (const i of [0, 1, 2, 3]) {
      await waitFor(
        `server ${i} without del0`,
        async () => {
          const [row] = await serverEngine(i).query<{ n: number }>(
            sql`SELECT count() AS n FROM ${tableRef(database, "labels_local")} WHERE model = 'del0'`,
          );
          return Number(row!.n);
        },
        (n) => n === 0,
      );
    }
    const [left] = await engine.query<{ n: number }>(
      sql`SELECT count() AS n FROM ${tableRef(database, "labels")} WHERE kafka_topic = 'deletes'`,
    );
    expect(Number(left!.n)).toBe(30);
  });

  it("alerts and results are written and read while a replica of each shard is down", async () => {
    const engine = clusterEngine(1); // shard 1 replica 2
    await applyMigrations(engine, database);
    const alert = (model: string, version: number) => ({
      alert_id: `a-${model}`,
      rule: "drift",
      model,
      model_version: "1",
      feature: "x",
      metric: "psi",
      severity: "warning",
      state: version === 1 ? "pending" : "firing",
      value: 0.3,
      threshold: 0.2,
      message: "",
      labels: "{}",
      annotations: "{}",
      features: ["x"],
      active_at: 1_765_000_000,
      fired_at: 0,
      resolved_at: 0,
      keep_firing_since: 0,
      last_sent_at: 0,
      resolve_sent_at: 0,
      breaching_windows: version,
      clear_windows: 0,
      window_start: 1_765_000_000,
      window_end: 1_765_003_600,
      last_window_end_ms: 0,
      updated_at: 1_765_000_000 + version,
      version,
    });
    const models = Array.from({ length: 8 }, (_, i) => `replica-${i}`);
    await engine.insert(
      `${database}.alerts`,
      models.map((model) => alert(model, 1)),
    );
    // The first replica of each shard dies: reads and writes go to the other one.
    await Promise.all([cluster.servers[0]!.stop(), cluster.servers[2]!.stop()]);
    try {
      await engine.insert(
        `${database}.alerts`,
        models.map((model) => alert(model, 2)),
      );
      const states = await engine.query<{ model: string; state: string }>(
        sql`SELECT model, state FROM ${tableRef(database, "alerts")} FINAL
  WHERE rule = 'drift' AND startsWith(model, 'replica-') ORDER BY model`,
      );
      expect(states).toEqual(models.map((model) => ({ model, state: "firing" })));
      expect([...(await appliedMigrationVersions(engine, database))]).toEqual(
        MIGRATIONS.map((migration) => migration.version),
      );
    } finally {
      await Promise.all([cluster.servers[0]!.start(), cluster.servers[2]!.start()]);
    }
    // The replicas that were down catch up.
    await syncReplicas("alerts_local");
    const [caughtUp] = await serverEngine(0).query<{ n: number }>(
      sql`SELECT countIf(version = 2) AS n FROM ${tableRef(database, "alerts_local")}
  WHERE startsWith(model, 'replica-')`,
    );
    const [onShardOne] = await serverEngine(1).query<{ n: number }>(
      sql`SELECT countIf(version = 2) AS n FROM ${tableRef(database, "alerts_local")}
  WHERE startsWith(model, 'replica-')`,
    );
    expect(Number(caughtUp!.n)).toBe(Number(onShardOne!.n));
  });

  it("the ingester stores every event once when shards fail their part of inserts", async () => {
    const env: IngestTestEnv = await createIngestTestEnv("clusteringest", {
      clickhouseUrl: cluster.servers[0]!.url,
      brokers: kafka.brokers,
    });
    const topic = env.topics.predictions;
    const engine = clusterEngine(0);
    const running: RunningIngester[] = [];
    await applyMigrations(engine, database);
    /** Events of this test's topic: after collapsing (FINAL) and distinct. */
    const stored = async () => {
      const [final] = await engine.query<{ n: number }>(
        sql`SELECT count() AS n FROM ${tableRef(database, "predictions")} FINAL WHERE kafka_topic = ${topic}`,
      );
      const [row] = await engine.query<{ distinct: number }>(
        sql`SELECT uniqExact(model, event_id) AS distinct FROM ${tableRef(database, "predictions")}
  WHERE kafka_topic = ${topic}`,
      );
      return { final: Number(final!.n), distinct: Number(row!.distinct) };
    };
    /** Highest stored offset per partition in one server's own positions table. */
    const localMarks = async (server: number) => {
      const rows = await serverEngine(server).query<{ p: number; o: number }>(
        sql`SELECT kafka_partition AS p, max(max_offset) AS o FROM ${tableRef(database, "ingest_positions_local")}
  WHERE table_name = 'predictions' AND kafka_topic = ${topic} GROUP BY p`,
      );
      return new Map(rows.map((row) => [Number(row.p), Number(row.o)]));
    };
    try {
      const onCluster = { ...env, database, engine };
      const settings = { batchMaxRows: 500, batchMaxWaitMs: 100 };
      const total = 6_000;
      const records = predictionRecords(total);
      await produce(env.kafka, topic, records.slice(0, 3_000));
      const first = await startIngester(onCluster, settings, engine);
      running.push(first);
      await waitFor("the first half stored", stored, (n) => n.final >= 3_000, 120_000);

      // Both replicas of shard 2 stop while events arrive: inserts fail (18.16 gives up before
      // committing any shard's part when a shard is unreachable), the ingester retries, pauses
      // and never commits. It is stopped; shard 2 comes back.
      await Promise.all([cluster.servers[2]!.stop(), cluster.servers[3]!.stop()]);
      await produce(env.kafka, topic, records.slice(3_000, 4_500));
      await waitFor(
        "failing inserts",
        () => first.metric("driftwatch_ingest_write_failures_total"),
        (failures) => failures >= 2,
        60_000,
      );
      expect(first.fatal).toEqual([]);
      await first.ingester.stop();
      running.length = 0;
      await Promise.all([cluster.servers[2]!.start(), cluster.servers[3]!.start()]);

      // A shard that fails after another committed its part (a replica dying mid-insert) leaves
      // shard 1 with its part of an insert and shard 2 without: made here exactly, by storing
      // shard 1's part of the last events (the rows the ingester builds, the shard the
      // Distributed table picks: cityHash64(model, event_id) % 2 = 0) in its local table.
      const shardTwoBefore = await localMarks(2);
      await produce(env.kafka, topic, records.slice(4_500));
      const consumed = await readTopic(env.kafka, topic, total);
      const lastKeys = new Set(records.slice(4_500).map((record) => record.key));
      const partial = consumed
        .filter((record) => lastKeys.has(String(record.key)))
        .map((record) => {
          const verdict = validatePrediction(
            {
              topic,
              partition: record.partition,
              offset: record.offset,
              timestampMs: 0,
              value: record.value,
            },
            { maxEventBytes: 1_048_576 },
            1_796_000_000,
          );
          if (!verdict.ok) throw new Error(verdict.detail);
          return verdict.row;
        });
      expect(partial.length).toBe(1_500);
      const shardOne = serverEngine(0);
      await shardOne.command(
        sql`CREATE TABLE ${tableRef(database, "partial_insert")} AS ${tableRef(database, "predictions_local")} ENGINE = Memory`,
      );
      await shardOne.insert(`${database}.partial_insert`, partial);
      await shardOne.command(
        sql`INSERT INTO ${tableRef(database, "predictions_local")}
  SELECT * FROM ${tableRef(database, "partial_insert")} WHERE cityHash64(model, event_id) % 2 = 0`,
      );
      await shardOne.command(sql`DROP TABLE ${tableRef(database, "partial_insert")}`);

      // Shard 1's own positions now pass rows shard 2 never got: the highest position over the
      // shards would skip them. The positions the ingester reads stay at or below shard 2's.
      const shardOneMarks = await localMarks(0);
      const shardTwoMarks = await localMarks(2);
      expect(shardTwoMarks).toEqual(shardTwoBefore);
      expect([...shardOneMarks].some(([p, o]) => o > (shardTwoMarks.get(p) ?? -1))).toBe(true);
      const marks = new StoredPositions(engine, database);
      await marks.load([topic]);
      for (const p of [0, 1, 2]) {
        expect(marks.markOf("predictions", topic, p)).toBeLessThanOrEqual(
          shardTwoMarks.get(p) ?? -1,
        );
      }

      const second = await startIngester(onCluster, settings, engine);
      running.push(second);
      await waitFor("every event stored", stored, (n) => n.distinct >= total, 180_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // a late second copy shows
      expect(await stored()).toEqual({ final: total, distinct: total });
      expect(second.fatal).toEqual([]);
    } finally {
      await Promise.all(running.map((ingester) => ingester.ingester.stop()));
      await env.cleanup();
    }
  }, 600_000);
});
