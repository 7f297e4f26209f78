// A private cluster stack for tests (`stack up --cluster` on free ports in a temp directory):
// ZooKeeper, ClickHouse 2 shards × 2 replicas, three Kafka brokers.
//
// Files of the "cluster" vitest project (test/cluster/) share the one its global setup started
// (test/setup/cluster.ts): `await sharedTestCluster()` in beforeAll; its stop() leaves it running
// for the next file, so a file that kills or stops servers runs `up()` before it ends. Run any
// other way (e.g. one file with another config), sharedTestCluster() starts one of the file's own.
//
//   const cluster = await startTestCluster();       // or sharedTestCluster()
//   cluster.env.DRIFTWATCH_KAFKA_BROKERS;           // "localhost:p1,localhost:p2,localhost:p3"
//   cluster.clickhouse[1]!.url;                     // shard 1, replica 2
//   await cluster.server("kafka-2").kill();          // SIGKILL one broker
//   await cluster.up();                              // `stack up --cluster`: restarts what is down
//   await cluster.stop();                            // every server down, temp dir removed
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {} from "vitest"; // the ProvidedContext augmentation below
import {
  freeClusterBasePort,
  clusterDown,
  clusterServerHandles,
  clusterStatus,
  clusterUp,
  type ClusterOptions,
  type ClusterServerHandle,
  type ClusterStatusResult,
  type ClusterUpResult,
} from "../../src/stack/index.js";

/** The key under which the cluster project's global setup provides the shared cluster. */
export const CLUSTER_PROVIDE_KEY = "driftwatchCluster";

/** What the global setup passes to the test files (serializable). */
export interface SharedClusterInfo {
  readonly dir: string;
  readonly basePort: number;
  readonly env: Record<string, string>;
}

declare module "vitest" {
  export interface ProvidedContext {
    [CLUSTER_PROVIDE_KEY]: SharedClusterInfo | undefined;
  }
}

export interface TestCluster {
  /** The stack directory (the cluster is in its `cluster/`). */
  readonly dir: string;
  readonly basePort: number;
  /** DRIFTWATCH_KAFKA_BROKERS, _CLICKHOUSE_URL, _CLICKHOUSE_DATABASE, _CLICKHOUSE_CLUSTER. */
  readonly env: Record<string, string>;
  readonly clickhouse: ClusterUpResult["clickhouse"];
  readonly kafka: ClusterUpResult["kafka"];
  /** Every server: zookeeper, clickhouse-s1r1 … clickhouse-s2r2, kafka-1 … kafka-3. */
  readonly servers: readonly ClusterServerHandle[];
  /** The handle of one server by name (throws for an unknown name). */
  server(name: string): ClusterServerHandle;
  /** `stack up --cluster` again: reuses the healthy servers, restarts any that is down. */
  up(): Promise<ClusterUpResult>;
  status(): Promise<ClusterStatusResult>;
  /** Stop every server and delete the directory. */
  stop(): Promise<void>;
}

export async function startTestCluster(
  options: { readonly progress?: (line: string) => void } = {},
): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), "dw-test-cluster-"));
  const basePort = await freeClusterBasePort();
  const clusterOptions: ClusterOptions = {
    dir,
    basePort,
    env: {},
    progress: options.progress ?? (() => undefined),
  };
  let up: ClusterUpResult;
  try {
    up = await clusterUp(clusterOptions);
  } catch (error) {
    await clusterDown(clusterOptions).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const env = Object.fromEntries(
    Object.entries(up.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return testCluster({ dir, basePort, env }, up, async () => {
    await clusterDown(clusterOptions);
    rmSync(dir, { recursive: true, force: true });
  });
}

function testCluster(
  info: SharedClusterInfo,
  addresses: Pick<ClusterStatusResult, "clickhouse" | "kafka">,
  stop: () => Promise<void>,
): TestCluster {
  const options: ClusterOptions = { dir: info.dir, basePort: info.basePort, env: {} };
  const servers = clusterServerHandles(options);
  return {
    ...info,
    clickhouse: addresses.clickhouse,
    kafka: addresses.kafka,
    servers,
    server(name) {
      const handle = servers.find((candidate) => candidate.name === name);
      if (handle === undefined) throw new Error(`the test cluster has no server ${name}`);
      return handle;
    },
    up: () => clusterUp(options),
    status: () => clusterStatus(options),
    stop,
  };
}

/**
 * The cluster the "cluster" project's global setup started (brought back up if a previous file
 * left a server down), else one of this file's own. stop(): a no-op for the shared one.
 */
export async function sharedTestCluster(): Promise<TestCluster> {
  // Imported here: the global setup imports this module outside a test worker, where importing
  // vitest's runtime fails.
  const { inject } = await import("vitest");
  const info = inject(CLUSTER_PROVIDE_KEY);
  if (info === undefined) return startTestCluster();
  const up = await clusterUp({ dir: info.dir, basePort: info.basePort, env: {} });
  return testCluster(info, up, async () => undefined);
}
