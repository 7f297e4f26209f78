// What the stack writes and parses without starting anything: ports from env, the generated
// ClickHouse, Kafka and Prometheus configs, registered Prometheus targets, the export lines.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { clickhouseConfigXml } from "../../../src/stack/clickhouse-config.js";
import { kafkaServerProperties } from "../../../src/stack/kafka-config.js";
import { kafkaVersionFromCommandLine, newClusterId } from "../../../src/stack/kafka-server.js";
import { prometheusConfigYaml } from "../../../src/stack/prometheus-config.js";
import {
  DEFAULT_PORTS,
  exportLines,
  registerPrometheusTarget,
  resolvePorts,
  stackEnv,
} from "../../../src/stack/index.js";

function properties(text: string): Map<string, string> {
  return new Map(
    text
      .split("\n")
      .filter((line) => line.includes("=") && !line.startsWith("#"))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

describe("resolvePorts", () => {
  it("takes the defaults, then env, then explicit overrides", () => {
    expect(resolvePorts({})).toEqual(DEFAULT_PORTS);
    const ports = resolvePorts(
      { DRIFTWATCH_STACK_KAFKA_PORT: "19092", DRIFTWATCH_STACK_PROMETHEUS_PORT: " 19090 " },
      { clickhouseHttp: 18123 },
    );
    expect(ports).toEqual({
      ...DEFAULT_PORTS,
      kafka: 19092,
      prometheus: 19090,
      clickhouseHttp: 18123,
    });
  });

  it("names the variable when a port is not a port", () => {
    expect(() => resolvePorts({ DRIFTWATCH_STACK_CLICKHOUSE_TCP_PORT: "90000" })).toThrow(
      /DRIFTWATCH_STACK_CLICKHOUSE_TCP_PORT: "90000" is not a TCP port/,
    );
    expect(() => resolvePorts({ DRIFTWATCH_STACK_KAFKA_PORT: "9092x" })).toThrow(
      /DRIFTWATCH_STACK_KAFKA_PORT/,
    );
  });

  it("refuses two components on one port", () => {
    expect(() => resolvePorts({ DRIFTWATCH_STACK_KAFKA_CONTROLLER_PORT: "9092" })).toThrow(
      /kafka and kafkaController are both 9092/,
    );
  });
});

describe("generated configs", () => {
  it("ClickHouse listens on its two ports on loopback and opens no interserver port", () => {
    const xml = clickhouseConfigXml({
      dir: "/s/ch",
      httpPort: 18123,
      tcpPort: 19000,
      listenHost: "127.0.0.1",
    });
    expect(xml).toContain("<http_port>18123</http_port>");
    expect(xml).toContain("<tcp_port>19000</tcp_port>");
    expect(xml).toContain("<listen_host>127.0.0.1</listen_host>");
    expect(xml).toContain("<path>/s/ch/data/</path>");
    expect(xml).not.toMatch(/interserver|<listen_host>::/);
  });

  it("Kafka is one KRaft node with replication factor 1 and no rebalance delay", () => {
    const config = properties(
      kafkaServerProperties({
        dir: "/s/kafka",
        port: 19092,
        controllerPort: 19093,
        listenHost: "127.0.0.1",
      }),
    );
    expect(config.get("process.roles")).toBe("broker,controller");
    expect(config.get("listeners")).toBe(
      "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093",
    );
    expect(config.get("controller.quorum.voters")).toBe(`${config.get("node.id")}@127.0.0.1:19093`);
    expect(config.get("log.dirs")).toBe("/s/kafka/data");
    for (const key of [
      "offsets.topic.replication.factor",
      "transaction.state.log.replication.factor",
    ]) {
      expect(config.get(key), key).toBe("1");
    }
    expect(config.get("group.initial.rebalance.delay.ms")).toBe("0");
  });

  it("Prometheus scrapes driftwatch and the registered targets, timeout within the interval", () => {
    const config = parse(
      prometheusConfigYaml({
        dir: "/s/prom",
        port: 19090,
        listenHost: "127.0.0.1",
        driftwatchTarget: "localhost:8080",
      }),
    ) as {
      global: Record<string, string>;
      scrape_configs: {
        job_name: string;
        static_configs?: { targets: string[] }[];
        file_sd_configs?: { files: string[] }[];
      }[];
    };
    const seconds = (text: string | undefined): number => Number(/^(\d+)s$/.exec(text ?? "")?.[1]);
    expect(seconds(config.global.scrape_interval)).toBeLessThanOrEqual(5);
    expect(seconds(config.global.scrape_timeout)).toBeLessThanOrEqual(
      seconds(config.global.scrape_interval),
    );
    const jobs = new Map(config.scrape_configs.map((job) => [job.job_name, job]));
    expect(jobs.get("driftwatch")?.static_configs?.[0]?.targets).toEqual(["localhost:8080"]);
    expect(jobs.get("driftwatch-registered")?.file_sd_configs?.[0]?.files).toEqual([
      "/s/prom/targets/*.json",
    ]);
  });
});

describe("registerPrometheusTarget", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("writes a file_sd target group and removes it on unregister", () => {
    const stackDir = mkdtempSync(join(tmpdir(), "dw-targets-"));
    dirs.push(stackDir);
    const target = registerPrometheusTarget("ingest-1", "127.0.0.1:41234", {
      stackDir,
      labels: { role: "ingest" },
    });
    expect(target.file).toBe(join(stackDir, "prometheus", "targets", "ingest-1.json"));
    expect(JSON.parse(readFileSync(target.file, "utf8"))).toEqual([
      {
        targets: ["127.0.0.1:41234"],
        labels: { job: "driftwatch", driftwatch_target: "ingest-1", role: "ingest" },
      },
    ]);
    expect(readdirSync(join(stackDir, "prometheus", "targets"))).toEqual(["ingest-1.json"]);
    target.unregister();
    expect(readdirSync(join(stackDir, "prometheus", "targets"))).toEqual([]);
  });

  it("rejects names that are not file names and addresses that are not host:port", () => {
    expect(() =>
      registerPrometheusTarget("../evil", "127.0.0.1:1", { stackDir: "/nonexistent" }),
    ).toThrow(/target name "..\/evil"/);
    expect(() =>
      registerPrometheusTarget("ok", "http://127.0.0.1:1/metrics", { stackDir: "/nonexistent" }),
    ).toThrow(/must be host:port/);
  });
});

describe("stack env and versions", () => {
  it("prints one export line per variable for a shell's eval", () => {
    expect(exportLines(stackEnv({ ...DEFAULT_PORTS, kafka: 29092 }))).toBe(
      [
        "export DRIFTWATCH_KAFKA_BROKERS=localhost:29092",
        "export DRIFTWATCH_CLICKHOUSE_URL=http://localhost:8123",
        "export DRIFTWATCH_CLICKHOUSE_DATABASE=driftwatch",
        "export DRIFTWATCH_PROMETHEUS_URL=http://localhost:9090",
      ].join("\n"),
    );
  });

  it("reads the Kafka version from a broker's classpath", () => {
    expect(
      kafkaVersionFromCommandLine(
        "java -Xmx1g -cp /opt/libs/kafka_2.13-3.9.1.jar:/opt/x.jar kafka.Kafka p",
      ),
    ).toBe("3.9.1");
    expect(kafkaVersionFromCommandLine("java kafka.Kafka p")).toBeUndefined();
  });

  it("makes KRaft cluster ids the storage tool accepts: 16 bytes, never a leading '-'", () => {
    // 1 random id in 64 starts with "-"; 5000 draws miss that case with probability ~1e-34.
    for (let i = 0; i < 5000; i++) {
      const id = newClusterId();
      expect(id.startsWith("-"), id).toBe(false);
      expect(Buffer.from(id, "base64url")).toHaveLength(16);
    }
  });
});
