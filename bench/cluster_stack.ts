// The cluster `bench:cluster` measures: its own (`stack up --cluster` in a temp directory on free
// ports, stopped and deleted afterwards), or the one already running in BENCH_CLUSTER_DIR (its
// saved base port, or BENCH_CLUSTER_BASE_PORT), which is reused and left running.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freeClusterBasePort,
  clusterDown,
  clusterServerHandles,
  clusterUp,
  type ClusterOptions,
  type ClusterUpResult,
} from "../src/stack/index.js";

export interface BenchCluster {
  readonly up: ClusterUpResult;
  /** True when BENCH_CLUSTER_DIR named a cluster to reuse (it is left running). */
  readonly reused: boolean;
  /** Pid of each running server by kind (clickhouse, kafka, zookeeper). */
  serverPids(): { readonly name: string; readonly kind: string; readonly pid: number }[];
  /** Stop and delete what this run started (nothing for a reused cluster). */
  stop(): Promise<void>;
}

export async function benchCluster(progress: (line: string) => void): Promise<BenchCluster> {
  const reuseDir = process.env.BENCH_CLUSTER_DIR;
  const reused = reuseDir !== undefined && reuseDir !== "";
  const dir = reused ? reuseDir : mkdtempSync(join(tmpdir(), "dw-bench-cluster-"));
  const basePort = reused
    ? process.env.BENCH_CLUSTER_BASE_PORT === undefined
      ? undefined
      : Number(process.env.BENCH_CLUSTER_BASE_PORT)
    : await freeClusterBasePort();
  const options: ClusterOptions = {
    dir,
    ...(basePort === undefined ? {} : { basePort }),
    env: {},
    progress: (line) => progress(`cluster: ${line}`),
  };
  const stop = async (): Promise<void> => {
    if (reused) return;
    await clusterDown(options);
    rmSync(dir, { recursive: true, force: true });
  };
  let up: ClusterUpResult;
  try {
    up = await clusterUp(options);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const handles = clusterServerHandles(options);
  return {
    up,
    reused,
    serverPids: () =>
      handles.flatMap((handle) => {
        const pid = handle.pid();
        return pid === undefined ? [] : [{ name: handle.name, kind: handle.kind, pid }];
      }),
    stop,
  };
}
