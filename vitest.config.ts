import { defineConfig } from "vitest/config";

// Unit tests are pure; integration tests talk to the real stack that test/setup/global.ts starts.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/global.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Integration tests share one Kafka broker and one ClickHouse server: keep file-level
    // parallelism low on these 2-core machines.
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ["default"],
  },
});
