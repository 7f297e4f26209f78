// Global setup of the "cluster" vitest project (test/cluster/): one private cluster stack
// (ZooKeeper, ClickHouse 2 shards × 2 replicas, three Kafka brokers, on free ports in a temp
// directory) started once for all of the project's files, which run one at a time after every
// other project; stopped and deleted at the end of the run. Files reach it through
// sharedTestCluster() (test/support/cluster.ts), which reads what this setup provides.
import type { TestProject } from "vitest/node";
import { CLUSTER_PROVIDE_KEY, startTestCluster } from "../support/cluster.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const began = Date.now();
  const cluster = await startTestCluster({
    progress: (line) => process.stderr.write(`driftwatch cluster (test setup): ${line}\n`),
  });
  process.stderr.write(
    `driftwatch cluster (test setup): ready in ${((Date.now() - began) / 1000).toFixed(1)} s ` +
      `on ports from ${cluster.basePort} (${cluster.dir})\n`,
  );
  project.provide(CLUSTER_PROVIDE_KEY, {
    dir: cluster.dir,
    basePort: cluster.basePort,
    env: cluster.env,
  });
  return () => cluster.stop();
}
