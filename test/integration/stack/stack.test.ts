// `driftwatch stack up|down|status` on a second, isolated stack: a temp DRIFTWATCH_STACK_DIR and
// free ports, installed and started from scratch (Kafka jars through mvn, configs generated),
// then reused, checked for port conflicts, and stopped. The shared stack is never touched.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findFreePort,
  KAFKA_VERSION,
  registerPrometheusTarget,
  stackDown,
  stackStatus,
  stackUp,
  type StackPorts,
  type StackUpResult,
} from "../../../src/stack/index.js";
import { type CliRun, runCli, runProcess } from "../../support/cli.js";
import {
  freeStackPorts,
  listenPlainTcp,
  portAccepts,
  processState,
  stackEnvFor,
} from "./helpers.js";

async function clickhouseQuery(url: string, text: string): Promise<string> {
  const response = await fetch(url, { method: "POST", body: text });
  const body = await response.text();
  if (!response.ok) throw new Error(`ClickHouse ${response.status}: ${body}`);
  return body.trim();
}

function nativeQuery(port: number, text: string): Promise<CliRun> {
  return runProcess("clickhouse-client", ["--port", String(port), "--query", text]);
}

describe("driftwatch stack on an isolated directory and free ports", () => {
  let dir: string;
  let ports: StackPorts;
  let env: NodeJS.ProcessEnv;
  let first: StackUpResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "dw-stack-test-"));
    ports = await freeStackPorts();
    env = stackEnvFor(dir, ports);
    // Jars of the 3.9 release an older driftwatch fetched: replaced whole at the first start.
    mkdirSync(join(dir, "kafka", "libs"), { recursive: true });
    writeFileSync(join(dir, "kafka", "libs", "kafka_2.13-3.9.1.jar"), "");
    writeFileSync(join(dir, "kafka", "libs", "slf4j-reload4j-1.7.36.jar"), "");
  });

  afterAll(async () => {
    if (dir !== undefined) {
      await stackDown({ dir, env });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("installs and starts ClickHouse, Kafka and Prometheus from scratch, each really serving", async () => {
    first = await stackUp({ dir, env });
    expect(first.env).toEqual({
      DRIFTWATCH_KAFKA_BROKERS: `localhost:${ports.kafka}`,
      DRIFTWATCH_CLICKHOUSE_URL: `http://localhost:${ports.clickhouseHttp}`,
      DRIFTWATCH_CLICKHOUSE_DATABASE: "driftwatch",
      DRIFTWATCH_PROMETHEUS_URL: `http://localhost:${ports.prometheus}`,
    });
    expect(
      first.components.map((component) => [component.name, component.action, component.managed]),
    ).toEqual([
      ["clickhouse", "started", true],
      ["kafka", "started", true],
      ["prometheus", "started", true],
    ]);
    for (const sub of [
      "clickhouse/data",
      "clickhouse/config.xml",
      "kafka/libs",
      "kafka/data/meta.properties",
    ]) {
      expect(existsSync(join(dir, sub)), sub).toBe(true);
    }
    const jars = readdirSync(join(dir, "kafka", "libs"));
    expect(jars).toContain(`kafka_2.13-${KAFKA_VERSION}.jar`);
    expect(jars.filter((jar) => /3\.9\.1|reload4j/.test(jar))).toEqual([]);
    expect(first.components.find((component) => component.name === "kafka")?.version).toBe(
      KAFKA_VERSION,
    );

    expect(await clickhouseQuery(first.env.DRIFTWATCH_CLICKHOUSE_URL, "SELECT version()")).toMatch(
      /^\d+\.\d+/,
    );
    const native = await nativeQuery(ports.clickhouseTcp, "SELECT 40 + 2");
    expect(native.stdout.trim(), native.stderr).toBe("42");

    const kafka = new Kafka({
      brokers: [first.env.DRIFTWATCH_KAFKA_BROKERS],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic: "stack-test", numPartitions: 2 }],
        waitForLeaders: true,
      });
      const metadata = await admin.fetchTopicMetadata({ topics: ["stack-test"] });
      expect(metadata.topics[0]?.partitions).toHaveLength(2);
    } finally {
      await admin.disconnect();
    }
  });

  it("scrapes a target registered under the stack directory", async () => {
    const metrics: HttpServer = createHttpServer((_, response) => {
      response.setHeader("content-type", "text/plain; version=0.0.4");
      response.end("dw_stack_test_value 7\n");
    });
    await new Promise<void>((done) => metrics.listen(0, "127.0.0.1", done));
    const address = metrics.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const target = registerPrometheusTarget("stack-test", `127.0.0.1:${port}`, { stackDir: dir });
    try {
      let result: unknown[] = [];
      const deadline = Date.now() + 30_000;
      while (result.length === 0 && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 500));
        const answer = (await (
          await fetch(
            `${first.env.DRIFTWATCH_PROMETHEUS_URL}/api/v1/query?query=dw_stack_test_value`,
          )
        ).json()) as {
          data: { result: { metric: Record<string, string>; value: [number, string] }[] };
        };
        result = answer.data.result;
      }
      expect(result).toEqual([
        expect.objectContaining({
          metric: expect.objectContaining({ job: "driftwatch", driftwatch_target: "stack-test" }),
          value: [expect.any(Number), "7"],
        }),
      ]);
    } finally {
      target.unregister();
      metrics.close();
    }
  });

  it("`stack status` reports every component healthy and `stack up` again reuses them", async () => {
    const status = await runCli(["stack", "status"], env);
    expect(status.code, status.stderr).toBe(0);
    for (const [name, port] of [
      ["clickhouse", ports.clickhouseHttp],
      ["kafka", ports.kafka],
      ["prometheus", ports.prometheus],
    ] as const) {
      expect(status.stdout).toMatch(new RegExp(`^${name}\\s+healthy\\s+${port}\\b`, "m"));
    }

    const again = await runCli(["stack", "up"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim().split("\n")).toEqual([
      `export DRIFTWATCH_KAFKA_BROKERS=localhost:${ports.kafka}`,
      `export DRIFTWATCH_CLICKHOUSE_URL=http://localhost:${ports.clickhouseHttp}`,
      "export DRIFTWATCH_CLICKHOUSE_DATABASE=driftwatch",
      `export DRIFTWATCH_PROMETHEUS_URL=http://localhost:${ports.prometheus}`,
    ]);
    expect(again.stderr).not.toMatch(/starting/);
    const reused = await stackUp({ dir, env });
    expect(reused.components.map((component) => [component.action, component.pid])).toEqual(
      first.components.map((component) => ["reused", component.pid]),
    );
  });

  it("fails naming the port and the component when a port is held by something else", async () => {
    const busyPort = await findFreePort();
    const impostor = await listenPlainTcp(busyPort);
    try {
      await expect(stackUp({ dir, env, ports: { kafka: busyPort } })).rejects.toThrow(
        new RegExp(
          `port ${busyPort} \\(Kafka broker\\) is held by pid ${process.pid}\\b.*not a healthy Kafka`,
        ),
      );
      const cli = await runCli(["stack", "up"], {
        ...env,
        DRIFTWATCH_STACK_PROMETHEUS_PORT: String(busyPort),
      });
      expect(cli.code).toBe(1);
      expect(cli.stdout).toBe("");
      expect(cli.stderr).toMatch(
        new RegExp(
          `port ${busyPort} \\(Prometheus HTTP\\) is held by .*DRIFTWATCH_STACK_PROMETHEUS_PORT`,
        ),
      );
    } finally {
      impostor.close();
    }
  });

  it("`stack down` stops what it started, keeps the data, and status then exits 1", async () => {
    const down = await runCli(["stack", "down"], env);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout.trim().split("\n")).toEqual([
      "clickhouse: stopped",
      "kafka: stopped",
      "prometheus: stopped",
    ]);
    for (const component of first.components) {
      expect(processState(component.pid!), component.name).toMatch(/^(gone|Z)$/);
      expect(await portAccepts(component.ports[0]!.port), component.name).toBe(false);
    }
    expect(existsSync(join(dir, "kafka/data/meta.properties"))).toBe(true);

    const status = await stackStatus({ dir, env });
    expect(status.healthy).toBe(false);
    expect(status.components.map((component) => [component.name, component.running])).toEqual([
      ["clickhouse", false],
      ["kafka", false],
      ["prometheus", false],
    ]);
    const cli = await runCli(["stack", "status"], env);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/^kafka\s+stopped/m);
  });
});
