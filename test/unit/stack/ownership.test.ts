// Who owns a server, without starting one: the stack directory read from a command line's config
// file, the ports read back from the configs driftwatch writes, the owner wording, the status
// `servers` entries, and the test-run leases and markers under a stack directory.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  clickhouseConfigXml,
  clickhousePortsFromConfig,
} from "../../../src/stack/clickhouse-config.js";
import {
  kafkaPortsFromProperties,
  kafkaServerProperties,
} from "../../../src/stack/kafka-config.js";
import {
  canonicalPath,
  configFileArguments,
  describeOwner,
  ownerLabel,
  ownerOfProcess,
  stackDirOfCommand,
} from "../../../src/stack/ownership.js";
import {
  prometheusArgs,
  prometheusConfigYaml,
  prometheusPortFromCommandLine,
} from "../../../src/stack/prometheus-config.js";
import { stackServers } from "../../../src/stack/servers.js";
import type { ComponentReport } from "../../../src/stack/stack.js";
import {
  forgetStartedByTestRun,
  liveLeases,
  markStartedByTestRun,
  removeLease,
  startedByTestRuns,
  testRunsDir,
  writeLease,
} from "../../../src/stack/test-runs.js";
import { PORT_ENV_VARS } from "../../../src/stack/index.js";

let root: string;

beforeEach(() => {
  root = canonicalPath(mkdtempSync(join(tmpdir(), "dw-ownership-unit-")));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(path: string, text: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe("configFileArguments", () => {
  it("finds ClickHouse's, Prometheus' and kafka.Kafka's config files in their command lines", () => {
    expect(
      configFileArguments([
        "/usr/sbin/clickhouse-server",
        "--config-file=/a/.stack/clickhouse/config.xml",
      ]),
    ).toEqual(["/a/.stack/clickhouse/config.xml"]);
    expect(configFileArguments(["clickhouse-server", "-C", "rel/config.xml"])).toEqual([
      "rel/config.xml",
    ]);
    expect(
      configFileArguments([
        "/usr/bin/prometheus",
        "--config.file=/a/.stack/prometheus/prometheus.yml",
        "--web.listen-address=127.0.0.1:9090",
      ]),
    ).toEqual(["/a/.stack/prometheus/prometheus.yml"]);
    expect(
      configFileArguments([
        "java",
        "-cp",
        "/a/.stack/kafka/libs/*",
        "kafka.Kafka",
        "/a/.stack/kafka/server.properties",
      ]),
    ).toEqual(["/a/.stack/kafka/server.properties"]);
    expect(configFileArguments(["python3", "-m", "http.server", "9092"])).toEqual([]);
  });
});

describe("stackDirOfCommand", () => {
  const layout = { httpPort: 8123, tcpPort: 9000, listenHost: "127.0.0.1" };

  it("names the stack directory of a config driftwatch generated under <stack>/<component>/", () => {
    const stack = join(root, "checkout-a", ".stack");
    const config = write(
      join(stack, "clickhouse", "config.xml"),
      clickhouseConfigXml({ ...layout, dir: join(stack, "clickhouse") }),
    );
    expect(stackDirOfCommand(["clickhouse-server", `--config-file=${config}`])).toEqual({
      stackDir: stack,
      serverDir: join(stack, "clickhouse"),
    });
    const yml = write(
      join(stack, "prometheus", "prometheus.yml"),
      prometheusConfigYaml({
        dir: join(stack, "prometheus"),
        port: 9090,
        listenHost: "127.0.0.1",
        driftwatchTarget: "localhost:8080",
      }),
    );
    expect(stackDirOfCommand(["prometheus", "--config.file", yml])?.stackDir).toBe(stack);
    // A relative path is read against the process' working directory.
    expect(
      stackDirOfCommand(["clickhouse-server", "--config-file=config.xml"], {
        cwd: join(stack, "clickhouse"),
      })?.stackDir,
    ).toBe(stack);
  });

  it("does not take a stock install or a private test server for a stack directory", () => {
    const stock = write(join(root, "etc", "clickhouse-server", "config.xml"), "<yandex/>\n");
    expect(stackDirOfCommand(["clickhouse-server", `--config-file=${stock}`])).toBeUndefined();
    // Right layout, but written by someone else and no pid file naming the process.
    const foreign = write(join(root, "x", "clickhouse", "config.xml"), "<yandex/>\n");
    expect(
      stackDirOfCommand(["clickhouse-server", `--config-file=${foreign}`], { pid: 4242 }),
    ).toBe(undefined);
    // startPrivateClickHouse's directory is not <stack>/clickhouse.
    const privateDir = join(root, "dw-private-ch-abc");
    const own = write(
      join(privateDir, "config.xml"),
      clickhouseConfigXml({ ...layout, dir: privateDir }),
    );
    expect(stackDirOfCommand(["clickhouse-server", `--config-file=${own}`])).toBeUndefined();
  });

  it("accepts a config without the marker when the pid file beside it names the process", () => {
    const stack = join(root, "b", ".stack");
    const properties = write(join(stack, "kafka", "server.properties"), "node.id=1\n");
    write(join(stack, "kafka", "kafka.pid"), "4242\n");
    const args = ["java", "kafka.Kafka", properties];
    expect(stackDirOfCommand(args, { pid: 4242 })?.stackDir).toBe(stack);
    expect(stackDirOfCommand(args, { pid: 4243 })).toBeUndefined();
  });
});

describe("ownerOfProcess and the owner wording", () => {
  it("sees this test process as another program, named with its command line", () => {
    const owner = ownerOfProcess(process.pid, join(root, ".stack"));
    expect(owner.kind).toBe("program");
    expect(owner.pid).toBe(process.pid);
    expect(describeOwner(owner)).toMatch(new RegExp(`^pid ${process.pid} \\(.*node`));
    expect(ownerLabel(owner)).toMatch(/^program node/);
  });

  it("tells this stack directory from another one whatever the path spelling", async () => {
    const stack = join(root, "c", ".stack");
    const config = write(
      join(stack, "clickhouse", "config.xml"),
      clickhouseConfigXml({ ...layout(), dir: join(stack, "clickhouse") }),
    );
    // A real process whose command line names the config (node ignores the extra arguments).
    const child = spawn(
      process.execPath,
      ["-e", "setTimeout(() => undefined, 30_000)", "clickhouse-server", `--config-file=${config}`],
      { stdio: "ignore" },
    );
    try {
      await new Promise((resolveSpawn) => child.once("spawn", resolveSpawn));
      const pid = child.pid!;
      expect(ownerOfProcess(pid, stack)).toMatchObject({
        kind: "this-stack",
        stackDir: stack,
        pid,
      });
      expect(ownerOfProcess(pid, join(stack, "..", ".stack", "."))).toMatchObject({
        kind: "this-stack",
      });
      const other = ownerOfProcess(pid, join(root, "d", ".stack"));
      expect(other).toMatchObject({ kind: "other-stack", stackDir: stack });
      expect(describeOwner(other)).toBe(`stack directory ${stack} (pid ${pid})`);
      expect(ownerLabel(other)).toBe(stack);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("names a process it cannot see as such", () => {
    expect(describeOwner({ kind: "unknown" })).toMatch(/cannot see/);
    expect(ownerLabel(undefined)).toBe("-");
  });
});

function layout() {
  return { httpPort: 8123, tcpPort: 9000, listenHost: "127.0.0.1" };
}

describe("ports read back from the configs driftwatch writes", () => {
  it("round-trips ClickHouse, Kafka and Prometheus ports", () => {
    expect(
      clickhousePortsFromConfig(
        clickhouseConfigXml({
          dir: root,
          httpPort: 18123,
          tcpPort: 19000,
          listenHost: "127.0.0.1",
        }),
      ),
    ).toEqual({ httpPort: 18123, tcpPort: 19000 });
    expect(
      kafkaPortsFromProperties(
        kafkaServerProperties({
          dir: root,
          port: 19092,
          controllerPort: 19093,
          listenHost: "127.0.0.1",
        }),
      ),
    ).toEqual({ port: 19092, controllerPort: 19093 });
    expect(
      prometheusPortFromCommandLine(
        [
          "/usr/bin/prometheus",
          ...prometheusArgs({
            dir: root,
            port: 19090,
            listenHost: "127.0.0.1",
            driftwatchTarget: "localhost:8080",
          }),
        ].join(" "),
      ),
    ).toBe(19090);
    expect(clickhousePortsFromConfig("")).toBeUndefined();
    expect(kafkaPortsFromProperties("listeners=PLAINTEXT://h:1\n")).toBeUndefined();
    expect(prometheusPortFromCommandLine("prometheus")).toBeUndefined();
  });
});

describe("stackServers (stack status --json)", () => {
  const base = {
    title: "Kafka",
    ports: [
      { key: "kafka", label: "broker", port: 9092, envVar: PORT_ENV_VARS.kafka },
      {
        key: "kafkaController",
        label: "controller",
        port: 9093,
        envVar: PORT_ENV_VARS.kafkaController,
      },
    ],
  } as const;

  it("names the owning stack directory of each server, null for another program's", () => {
    const components: ComponentReport[] = [
      {
        ...base,
        name: "kafka",
        healthy: true,
        running: true,
        managed: false,
        pid: 12,
        version: "3.9.1",
        owner: {
          kind: "other-stack",
          stackDir: "/a/.stack",
          serverDir: "/a/.stack/kafka",
          pid: 12,
        },
      },
      {
        ...base,
        name: "clickhouse",
        healthy: true,
        running: true,
        managed: false,
        pid: 13,
        owner: { kind: "program", pid: 13, command: "clickhouse-server --config-file=/etc/x.xml" },
      },
      { ...base, name: "prometheus", healthy: false, running: false, managed: false },
    ];
    expect(stackServers("/b/.stack", components)).toEqual([
      {
        name: "kafka",
        kind: "kafka",
        pid: 12,
        ports: [9092, 9093],
        dir: "/a/.stack/kafka",
        owner_dir: "/a/.stack",
        owner: "other-stack",
        state: "healthy",
        managed: false,
        version: "3.9.1",
      },
      expect.objectContaining({
        name: "clickhouse",
        dir: null,
        owner_dir: null,
        owner: "program",
        command: "clickhouse-server --config-file=/etc/x.xml",
      }),
      expect.objectContaining({
        name: "prometheus",
        pid: null,
        dir: "/b/.stack/prometheus",
        owner_dir: "/b/.stack",
        owner: "none",
        state: "stopped",
      }),
    ]);
  });
});

describe("test-run leases and markers", () => {
  it("keeps live leases, drops those of exited processes, and forgets markers", () => {
    const own = writeLease(root);
    const dead = join(testRunsDir(root), "999999999-dead.lease");
    writeFileSync(dead, JSON.stringify({ pid: 999_999_999, command: "node vitest" }));
    const reused = join(testRunsDir(root), `${process.pid}-reused.lease`);
    writeFileSync(reused, JSON.stringify({ pid: process.pid, command: "some other command" }));
    expect(liveLeases(root)).toEqual([own]);
    expect(readdirSync(testRunsDir(root)).filter((entry) => entry.endsWith(".lease"))).toEqual([
      own.file.slice(testRunsDir(root).length + 1),
    ]);
    removeLease(own);
    expect(liveLeases(root)).toEqual([]);

    markStartedByTestRun(root, "kafka", 123);
    markStartedByTestRun(root, "prometheus", 456);
    expect(startedByTestRuns(root, ["clickhouse", "kafka", "prometheus"])).toEqual(
      new Map([
        ["kafka", 123],
        ["prometheus", 456],
      ]),
    );
    forgetStartedByTestRun(root, ["kafka"]);
    expect([...startedByTestRuns(root, ["clickhouse", "kafka", "prometheus"]).keys()]).toEqual([
      "prometheus",
    ]);
  });
});
