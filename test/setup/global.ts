// Global test setup: makes sure a real ClickHouse, Kafka and Prometheus are reachable before any
// test runs, and tells the tests where through process.env (DRIFTWATCH_KAFKA_BROKERS,
// DRIFTWATCH_CLICKHOUSE_URL, DRIFTWATCH_PROMETHEUS_URL, DRIFTWATCH_STACK_DIR).
// When DRIFTWATCH_KAFKA_BROKERS and DRIFTWATCH_CLICKHOUSE_URL both name existing servers they are
// used as they are; otherwise this checkout's stack directory is brought up (installing what is
// missing on a fresh machine) like `driftwatch stack up`, on the default ports unless another
// checkout's stack or another program holds them — then on free ports (startTestStack). A healthy
// stack of this checkout is reused in well under a second and left running; what this run started
// is stopped by the returned teardown once no other test run uses it
// (DRIFTWATCH_TEST_KEEP_STACK=1 leaves it running).
import {
  PORT_ENV_VARS,
  resolveStackDir,
  startTestStack,
  type TestStack,
  type TestStackOptions,
} from "../../src/stack/index.js";

function progress(message: string): void {
  process.stderr.write(`driftwatch stack (test setup): ${message}\n`);
}

function explain(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function teardown(run: TestStack): () => Promise<void> {
  return async () => {
    const keep = ["1", "true", "yes"].includes(
      (process.env.DRIFTWATCH_TEST_KEEP_STACK ?? "").toLowerCase(),
    );
    const stopped = await run.release({ keep });
    if (stopped.length > 0) progress(`stopped what this run started: ${stopped.join(", ")}`);
  };
}

export default async function setup(): Promise<() => Promise<void>> {
  const began = Date.now();
  const env = process.env;
  env.DRIFTWATCH_STACK_DIR ??= resolveStackDir(env);
  const options: TestStackOptions = { dir: env.DRIFTWATCH_STACK_DIR, env, progress };

  if (env.DRIFTWATCH_KAFKA_BROKERS && env.DRIFTWATCH_CLICKHOUSE_URL) {
    // Servers of one's own: only add the local Prometheus when none is named (best effort).
    if (!env.DRIFTWATCH_PROMETHEUS_URL) {
      try {
        const run = await startTestStack({ ...options, components: ["prometheus"] });
        env.DRIFTWATCH_PROMETHEUS_URL = run.env.DRIFTWATCH_PROMETHEUS_URL;
        return teardown(run);
      } catch (error) {
        progress(`no Prometheus for the tests that need one: ${explain(error)}`);
      }
    }
    return async () => undefined;
  }

  let run: TestStack;
  try {
    run = await startTestStack(options);
  } catch (error) {
    throw new Error(
      "driftwatch test setup could not bring the local stack (ClickHouse, Kafka, Prometheus) up:\n" +
        explain(error) +
        "\nFix the cause above, or point the tests at servers of your own with " +
        "DRIFTWATCH_KAFKA_BROKERS and DRIFTWATCH_CLICKHOUSE_URL.",
      { cause: error },
    );
  }
  env.DRIFTWATCH_KAFKA_BROKERS ||= run.env.DRIFTWATCH_KAFKA_BROKERS;
  env.DRIFTWATCH_CLICKHOUSE_URL ||= run.env.DRIFTWATCH_CLICKHOUSE_URL;
  env.DRIFTWATCH_PROMETHEUS_URL ||= run.env.DRIFTWATCH_PROMETHEUS_URL;
  // Tests that ask the stack API about "the" stack (resolvePorts(process.env)) get these ports.
  for (const move of run.moved) {
    for (const component of run.components.filter((each) => each.name === move.component)) {
      for (const port of component.ports) env[PORT_ENV_VARS[port.key]] = String(port.port);
    }
  }
  const summary = run.components
    .map((component) => `${component.name} ${component.action} (pid ${component.pid ?? "?"})`)
    .join(", ");
  progress(
    `ready in ${((Date.now() - began) / 1000).toFixed(1)} s, stack directory ${run.dir}: ${summary}`,
  );
  return teardown(run);
}
