// Global test setup: makes sure a real ClickHouse, Kafka and Prometheus are reachable before any
// test runs, and tells the tests where through process.env (DRIFTWATCH_KAFKA_BROKERS,
// DRIFTWATCH_CLICKHOUSE_URL, DRIFTWATCH_PROMETHEUS_URL, DRIFTWATCH_STACK_DIR).
// When DRIFTWATCH_KAFKA_BROKERS and DRIFTWATCH_CLICKHOUSE_URL both name existing servers they are
// used as they are; otherwise the local stack is brought up (installing what is missing on a fresh
// machine) exactly like `driftwatch stack up`. A healthy stack is reused in well under a second.
// The stack is left running afterwards.
import { resolveStackDir, stackUp, type StackOptions } from "../../src/stack/index.js";

function progress(message: string): void {
  process.stderr.write(`driftwatch stack (test setup): ${message}\n`);
}

function explain(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export default async function setup(): Promise<void> {
  const began = Date.now();
  const env = process.env;
  env.DRIFTWATCH_STACK_DIR ??= resolveStackDir(env);
  const options: StackOptions = { dir: env.DRIFTWATCH_STACK_DIR, progress };

  if (env.DRIFTWATCH_KAFKA_BROKERS && env.DRIFTWATCH_CLICKHOUSE_URL) {
    // Servers of one's own: only add the local Prometheus when none is named (best effort).
    if (!env.DRIFTWATCH_PROMETHEUS_URL) {
      try {
        const result = await stackUp({ ...options, components: ["prometheus"] });
        env.DRIFTWATCH_PROMETHEUS_URL = result.env.DRIFTWATCH_PROMETHEUS_URL;
      } catch (error) {
        progress(`no Prometheus for the tests that need one: ${explain(error)}`);
      }
    }
    return;
  }

  let result;
  try {
    result = await stackUp(options);
  } catch (error) {
    throw new Error(
      "driftwatch test setup could not bring the local stack (ClickHouse, Kafka, Prometheus) up:\n" +
        explain(error) +
        "\nFix the cause above, or point the tests at servers of your own with " +
        "DRIFTWATCH_KAFKA_BROKERS and DRIFTWATCH_CLICKHOUSE_URL.",
      { cause: error },
    );
  }
  env.DRIFTWATCH_KAFKA_BROKERS ||= result.env.DRIFTWATCH_KAFKA_BROKERS;
  env.DRIFTWATCH_CLICKHOUSE_URL ||= result.env.DRIFTWATCH_CLICKHOUSE_URL;
  env.DRIFTWATCH_PROMETHEUS_URL ||= result.env.DRIFTWATCH_PROMETHEUS_URL;
  const summary = result.components
    .map((component) => `${component.name} ${component.action}`)
    .join(", ");
  progress(`ready in ${((Date.now() - began) / 1000).toFixed(1)} s (${summary})`);
}
