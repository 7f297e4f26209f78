// The test stack and its engines: where the servers are (set by the global setup,
// test/setup/global.ts, from the stack it started or reused, never guessed — a run without it
// fails instead of quietly using whatever listens on the default ports), the Kafka brokers, the
// two ClickHouse engines every statement must run on (clickhouse-server 18.16 over HTTP and chdb
// in-process), database names of a test's own and the tests' logger.
import { randomBytes } from "node:crypto";
import { createChdbEngine, createHttpEngine, type SqlEngine } from "../../src/store/index.js";
import { createLogger } from "../../src/util/logger.js";

export type StackVariable =
  "DRIFTWATCH_KAFKA_BROKERS" | "DRIFTWATCH_CLICKHOUSE_URL" | "DRIFTWATCH_PROMETHEUS_URL";

export function stackEnv(name: StackVariable): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(
      `${name} is not set: run the tests with vitest (test/setup/global.ts sets it), or point it at a server of your own`,
    );
  }
  return value;
}

/** The Kafka brokers of the test stack. */
export function brokers(): string[] {
  return stackEnv("DRIFTWATCH_KAFKA_BROKERS").split(",");
}

/** The HTTP URL of the test stack's ClickHouse server. */
export function clickHouseUrl(): string {
  return stackEnv("DRIFTWATCH_CLICKHOUSE_URL");
}

/** A database name no other test uses: dw_test_<tag>_<random>. */
export function uniqueDatabase(tag: string): string {
  return `dw_test_${tag}_${randomBytes(4).toString("hex")}`;
}

/**
 * An HTTP engine on the test stack's ClickHouse server. With DRIFTWATCH_CLICKHOUSE_CLUSTER set
 * (and the URL of a cluster's server) the tests run against the cluster schema instead.
 */
export function serverEngine(): SqlEngine {
  return createHttpEngine({
    url: clickHouseUrl(),
    requestTimeoutMs: 60_000,
    cluster: process.env.DRIFTWATCH_CLICKHOUSE_CLUSTER || undefined,
  });
}

export interface EngineUnderTest {
  readonly name: string;
  readonly open: () => Promise<SqlEngine>;
}

/** Both engines; a test file opens each once (libchdb holds one session per process). */
export const ENGINES: readonly EngineUnderTest[] = [
  { name: "clickhouse-server (HTTP)", open: async () => serverEngine() },
  { name: "chdb (in-process)", open: () => createChdbEngine() },
];

/** A logger for the code under test (level DRIFTWATCH_TEST_LOG_LEVEL, default error). */
export function testLogger(name: string) {
  return createLogger(name, process.env.DRIFTWATCH_TEST_LOG_LEVEL ?? "error");
}
