// Test helpers for the store: the two engines every statement must run on (ClickHouse 18.16 over
// HTTP and chdb in-process) and database names of the test's own.
import { stackEnv } from "../../support/stack-env.js";
import { randomBytes } from "node:crypto";
import { createChdbEngine, createHttpEngine, type SqlEngine } from "../../../src/store/index.js";

/** A database name no other test uses: dw_test_<tag>_<random>. */
export function uniqueDatabase(tag: string): string {
  return `dw_test_${tag}_${randomBytes(4).toString("hex")}`;
}

export function clickHouseUrl(): string {
  return stackEnv("DRIFTWATCH_CLICKHOUSE_URL");
}

export function serverEngine(): SqlEngine {
  return createHttpEngine({ url: clickHouseUrl(), requestTimeoutMs: 60_000 });
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
