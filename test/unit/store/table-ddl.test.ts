// The schema's DDL rendered for one server (exactly as before cluster support: existing installs
// see no change) and for a cluster (Replicated <name>_local ON CLUSTER + Distributed under the
// fixed name, views over the local tables). Pure: the real cluster runs it in test/heavy/cluster-*.
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../../src/store/index.js";
import {
  createMaterializedView,
  createTable,
  type TableDefinition,
} from "../../../src/store/table-ddl.js";
import { sql } from "../../../src/store/sql.js";

const TABLE: TableDefinition = {
  name: "events",
  columns: `
  model String,
  event_id String,
  ts DateTime,
  ingested_at DateTime DEFAULT now()`,
  engine: { kind: "ReplacingMergeTree", version: "ingested_at" },
  partitionBy: "toYYYYMMDD(ts)",
  orderBy: "(model, event_id)",
  shardingKey: "cityHash64(model, event_id)",
};

const texts = (target: { database: string; cluster?: string }) =>
  MIGRATIONS.flatMap((migration) => migration.statements(target).map((s) => s.text));

describe("table DDL", () => {
  it("one server: one CREATE TABLE as written before clusters existed", () => {
    expect(createTable({ database: "db" }, TABLE).map((s) => s.text)).toEqual([
      "CREATE TABLE IF NOT EXISTS `db`.`events` (\n  model String,\n  event_id String,\n  ts DateTime,\n  ingested_at DateTime DEFAULT now()\n) ENGINE = ReplacingMergeTree(ingested_at)\nPARTITION BY toYYYYMMDD(ts)\nORDER BY (model, event_id)",
    ]);
    expect(
      createTable({ database: "db" }, { ...TABLE, engine: { kind: "MergeTree" } })[0]!.text,
    ).toContain(") ENGINE = MergeTree\nPARTITION BY");
  });

  it("a cluster: Replicated <name>_local ON CLUSTER, then the Distributed table by the sharding key", () => {
    const [local, distributed] = createTable({ database: "db", cluster: "dw" }, TABLE).map(
      (s) => s.text,
    );
    expect(local).toBe(
      "CREATE TABLE IF NOT EXISTS `db`.`events_local` ON CLUSTER `dw` (\n  model String,\n  event_id String,\n  ts DateTime,\n  ingested_at DateTime DEFAULT now()\n) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/db/events_local', '{replica}', ingested_at)\nPARTITION BY toYYYYMMDD(ts)\nORDER BY (model, event_id)",
    );
    expect(distributed).toBe(
      "CREATE TABLE IF NOT EXISTS `db`.`events` ON CLUSTER `dw` AS `db`.`events_local`\nENGINE = Distributed('dw', 'db', 'events_local', cityHash64(model, event_id))",
    );
  });

  it("views read the local source and write the local target on a cluster", () => {
    const view = (cluster?: string) =>
      createMaterializedView(
        { database: "db", cluster },
        { name: "v", to: "counts", select: sql`SELECT 1 AS n` },
      ).text;
    expect(view()).toBe(
      "CREATE MATERIALIZED VIEW IF NOT EXISTS `db`.`v`\nTO `db`.`counts`\nAS SELECT 1 AS n",
    );
    expect(view("dw")).toBe(
      "CREATE MATERIALIZED VIEW IF NOT EXISTS `db`.`v` ON CLUSTER `dw`\nTO `db`.`counts_local`\nAS SELECT 1 AS n",
    );
  });

  it("every migration on a cluster: DDL only ON CLUSTER, no DROP, no INSERT into a view's target", () => {
    const cluster = texts({ database: "db", cluster: "dw" });
    for (const text of cluster) {
      if (/^CREATE/.test(text)) expect(text).toContain(" ON CLUSTER `dw`");
      expect(text).not.toMatch(/^DROP/);
      expect(text).not.toMatch(/^INSERT INTO `db`\.`ingest_positions/);
    }
    // Every table the service names is Distributed over a Replicated local table.
    const replicated = cluster.filter((t) => /ENGINE = Replicated/.test(t)).length;
    const distributed = cluster.filter((t) => /ENGINE = Distributed/.test(t)).length;
    expect(replicated).toBe(distributed);
    expect(replicated).toBe(21);
    // Views read only local tables.
    for (const text of cluster.filter((t) => t.startsWith("CREATE MATERIALIZED VIEW"))) {
      expect(text).toMatch(/FROM `db`\.`\w+_local`/);
    }
    // One server: no trace of the cluster.
    expect(texts({ database: "db" }).join("\n")).not.toMatch(/_local|ON CLUSTER|Replicated/);
  });
});
