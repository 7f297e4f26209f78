// Evaluator election on real Kafka: of two monitors exactly one owns the control topic's
// partition and evaluates; when it leaves, the other takes over.
import { waitFor } from "../../support/clock.js";
import { brokers, serverEngine, uniqueDatabase } from "../../support/stack.js";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { createKafkaClient } from "../../../src/kafka/index.js";
import { createMetricsRegistry } from "../../../src/metrics/index.js";
import { createMonitor, type Monitor } from "../../../src/monitor/index.js";
import { createLogger } from "../../../src/util/logger.js";

describe("evaluator election on the control topic", () => {
  const tag = randomBytes(4).toString("hex");
  const kafkaBrokers = brokers();
  const config = parseConfig(
    `kafka:
  brokers: [${kafkaBrokers.join(", ")}]
  groupId: dw-test-election-${tag}
  topics: {control: dw-test-control-${tag}}
clickhouse: {database: ${uniqueDatabase("election")}}
alerts: {enabled: false}
`,
    { env: {} },
  );
  const logger = createLogger("election-test", "silent");
  const engine = serverEngine();
  const monitors: Monitor[] = [];

  afterAll(async () => {
    await Promise.all(monitors.map((monitor) => monitor.stop()));
    const admin = createKafkaClient(config.kafka, logger).admin();
    await admin.connect();
    await admin.deleteTopics([config.kafka.topics.control]).catch(() => undefined);
    await admin.close();
    await engine.close();
  });

  it("elects exactly one evaluator and fails over when it leaves", async () => {
    for (let i = 0; i < 2; i++) {
      const monitor = createMonitor({
        config,
        engine,
        kafka: createKafkaClient(config.kafka, logger),
        registry: createMetricsRegistry(),
        logger,
        tickMs: 3_600_000,
        electionSessionTimeoutMs: 6_000,
      });
      monitors.push(monitor);
      await monitor.start();
    }
    const evaluators = () => monitors.filter((monitor) => monitor.isEvaluator());
    await waitFor(
      "one evaluator",
      async () => evaluators().length,
      (n) => n === 1,
      60_000,
      100,
    );
    // Stable: still exactly one a moment later (after the second member's join settled).
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(evaluators()).toHaveLength(1);

    const [leader] = evaluators();
    const follower = monitors.find((monitor) => monitor !== leader)!;
    await leader!.stop();
    const began = Date.now();
    await waitFor(
      "the follower to evaluate",
      async () => follower.isEvaluator(),
      Boolean,
      60_000,
      100,
    );
    const tookOver = Date.now() - began;
    expect(tookOver).toBeLessThan(60_000);
  });
});
