// Where the test servers are: set by the global setup (test/setup/global.ts) from the stack it
// started or reused, never guessed. A test run without it fails instead of quietly using whatever
// listens on the default ports (another checkout's servers, say).

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
export function stackBrokers(): string[] {
  return stackEnv("DRIFTWATCH_KAFKA_BROKERS").split(",");
}
