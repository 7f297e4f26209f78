import { defineConfig } from "vitest/config";

// Three projects, one after the other:
// - "main": unit tests (pure) and integration tests against the shared stack that
//   test/setup/global.ts starts, two files at a time;
// - "heavy": fault injection and fuzzing (test/heavy/), which start, kill and restart servers of
//   their own: one file at a time, after every main file finished, so a killed server never
//   breaks a neighbouring test;
// - "cluster": tests on the cluster stack (test/cluster/): one private cluster (ZooKeeper,
//   ClickHouse 2x2, three Kafka brokers; capped heaps and caches) started once by
//   test/setup/cluster.ts for all its files, one file at a time, after everything else.
const HEAVY = "test/heavy/**/*.test.ts";
const CLUSTER = "test/cluster/**/*.test.ts";

export default defineConfig({
  test: {
    globalSetup: ["test/setup/global.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    reporters: ["default"],
    // The main integration tests share one Kafka broker and one ClickHouse server: keep
    // file-level parallelism low on these 2-core machines.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        extends: true,
        test: {
          name: "main",
          include: ["test/**/*.test.ts"],
          exclude: [HEAVY, CLUSTER, "**/node_modules/**"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "heavy",
          include: [HEAVY],
          // One file at a time (each starts, kills and restarts servers of its own).
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 600_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: "cluster",
          include: [CLUSTER],
          globalSetup: ["test/setup/cluster.ts"],
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 600_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
