// The three stack components (ClickHouse, Kafka, Prometheus) behind one shape, so `stack up`,
// `down` and `status` treat them alike: probe health, list ports and packages, start, stop.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Progress, Requirement } from "./apt.js";
import { clickhouseFiles, clickhousePortsFromConfig } from "./clickhouse-config.js";
import {
  clickhousePid,
  clickhouseServerBinary,
  probeClickHouse,
  startClickHouseServer,
  stopClickHouseServer,
} from "./clickhouse-server.js";
import { findExecutable } from "./executables.js";
import { kafkaFiles, kafkaPortsFromProperties, KAFKA_VERSION } from "./kafka-config.js";
import {
  ensureKafkaJars,
  kafkaPid,
  kafkaRequirements,
  kafkaVersionFromCommandLine,
  prepareKafka,
  probeKafka,
  startKafkaServer,
  stopKafkaServer,
} from "./kafka-server.js";
import { portOwner } from "./port-owner.js";
import { prometheusFiles, prometheusPortFromCommandLine } from "./prometheus-config.js";
import {
  prometheusPid,
  probePrometheus,
  startPrometheusServer,
  stopPrometheusServer,
} from "./prometheus-server.js";
import { commandLine } from "./processes.js";
import { PORT_ENV_VARS, type StackPorts } from "./ports.js";

export type ComponentName = "clickhouse" | "kafka" | "prometheus";

export interface ComponentPort {
  readonly key: keyof StackPorts;
  readonly label: string;
  readonly port: number;
  /** The env variable that moves this port. */
  readonly envVar: string;
}

export interface Health {
  readonly healthy: boolean;
  readonly version?: string;
  /** Something the user should know about a healthy instance (e.g. a config we did not write). */
  readonly warning?: string;
}

export interface StackComponent {
  readonly name: ComponentName;
  readonly title: string;
  /** The first port is the one health is probed on. */
  readonly ports: readonly ComponentPort[];
  /** Directory under the stack dir holding this component's config, data and logs. */
  readonly dir: string;
  /** The main log file, quoted in errors. */
  readonly logFile: string;
  /** The pid file naming the instance this stack directory started. */
  readonly pidFile: string;
  probe(): Promise<Health>;
  /** The pid of the instance this stack directory started, if it runs. */
  managedPid(): number | undefined;
  /**
   * The ports this stack directory's running instance was started with (read from the config it
   * was started with), which may differ from `ports`; undefined when it does not run.
   */
  runningPorts(): Partial<StackPorts> | undefined;
  requirements(): Requirement[];
  /** Prepare and start; only called when all its ports are free. Resolves once ready. */
  start(progress: Progress): Promise<number>;
  /** Stop the managed instance; false when none was running. */
  stop(): Promise<boolean>;
}

export interface ComponentContext {
  readonly stackDir: string;
  readonly ports: StackPorts;
  readonly listenHost: string;
  /** host:port of driftwatch's /metrics for Prometheus' default job. */
  readonly driftwatchTarget: string;
  readonly timeoutMs: number;
}

function componentPort(key: keyof StackPorts, label: string, port: number): ComponentPort {
  return { key, label, port, envVar: PORT_ENV_VARS[key] };
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function clickhouseComponent(context: ComponentContext): StackComponent {
  const dir = join(context.stackDir, "clickhouse");
  const { clickhouseHttp: httpPort, clickhouseTcp: tcpPort } = context.ports;
  return {
    name: "clickhouse",
    title: "ClickHouse",
    ports: [
      componentPort("clickhouseHttp", "HTTP", httpPort),
      componentPort("clickhouseTcp", "native TCP", tcpPort),
    ],
    dir,
    logFile: clickhouseFiles(dir).errorLog,
    pidFile: clickhouseFiles(dir).pidFile,
    async probe() {
      const probe = await probeClickHouse(httpPort, context.listenHost);
      if (!probe.healthy) return probe;
      const httpOwner = portOwner(httpPort);
      const tcpOwner = portOwner(tcpPort);
      let warning: string | undefined;
      if (tcpOwner === undefined && httpOwner !== undefined) {
        warning = `nothing listens on the native TCP port ${tcpPort} (clickhouse-client needs it)`;
      } else if (
        httpOwner !== undefined &&
        tcpOwner !== undefined &&
        httpOwner.pid !== tcpOwner.pid
      ) {
        warning = `native TCP port ${tcpPort} belongs to pid ${tcpOwner.pid}, not to the server on ${httpPort}`;
      }
      return { ...probe, warning };
    },
    managedPid: () => clickhousePid(dir),
    runningPorts() {
      if (clickhousePid(dir) === undefined) return undefined;
      const ports = clickhousePortsFromConfig(readText(clickhouseFiles(dir).config));
      return ports && { clickhouseHttp: ports.httpPort, clickhouseTcp: ports.tcpPort };
    },
    requirements: () => [
      {
        program: "clickhouse-server",
        packages: ["clickhouse-server", "clickhouse-client"],
        present: clickhouseServerBinary() !== undefined,
      },
    ],
    start: () =>
      startClickHouseServer({
        dir,
        httpPort,
        tcpPort,
        listenHost: context.listenHost,
        timeoutMs: context.timeoutMs,
      }),
    stop: () => stopClickHouseServer(dir),
  };
}

function kafkaComponent(context: ComponentContext): StackComponent {
  const dir = join(context.stackDir, "kafka");
  const layout = {
    dir,
    port: context.ports.kafka,
    controllerPort: context.ports.kafkaController,
    listenHost: context.listenHost,
  };
  return {
    name: "kafka",
    title: "Kafka",
    ports: [
      componentPort("kafka", "broker", layout.port),
      componentPort("kafkaController", "controller", layout.controllerPort),
    ],
    dir,
    logFile: kafkaFiles(dir).serverLog,
    pidFile: kafkaFiles(dir).pidFile,
    async probe() {
      const probe = await probeKafka(layout.port, layout.listenHost);
      if (!probe.healthy) return { healthy: false };
      const pid = kafkaPid(dir) ?? portOwner(layout.port)?.pid;
      const version = pid === undefined ? undefined : kafkaVersionFromCommandLine(commandLine(pid));
      return { healthy: true, version };
    },
    managedPid: () => kafkaPid(dir),
    runningPorts() {
      if (kafkaPid(dir) === undefined) return undefined;
      const ports = kafkaPortsFromProperties(readText(kafkaFiles(dir).serverProperties));
      return ports && { kafka: ports.port, kafkaController: ports.controllerPort };
    },
    requirements: kafkaRequirements,
    async start(progress) {
      await ensureKafkaJars(dir, progress);
      await prepareKafka(layout);
      progress(
        `kafka: starting Kafka ${KAFKA_VERSION} (KRaft) on ${layout.listenHost}:${layout.port}`,
      );
      return startKafkaServer(layout, Math.max(context.timeoutMs, 60_000));
    },
    stop: () => stopKafkaServer(dir),
  };
}

function prometheusComponent(context: ComponentContext): StackComponent {
  const dir = join(context.stackDir, "prometheus");
  const port = context.ports.prometheus;
  const files = prometheusFiles(dir);
  return {
    name: "prometheus",
    title: "Prometheus",
    ports: [componentPort("prometheus", "HTTP", port)],
    dir,
    logFile: files.stdoutLog,
    pidFile: files.pidFile,
    async probe() {
      const probe = await probePrometheus(port, context.listenHost);
      if (!probe.healthy) return probe;
      const warning =
        probe.configFile !== undefined && probe.configFile !== files.config
          ? `it loaded ${probe.configFile}, not ${files.config}: targets registered under ${files.targets} are not scraped`
          : undefined;
      return { healthy: true, version: probe.version, warning };
    },
    managedPid: () => prometheusPid(dir),
    runningPorts() {
      const pid = prometheusPid(dir);
      const running =
        pid === undefined ? undefined : prometheusPortFromCommandLine(commandLine(pid));
      return running === undefined ? undefined : { prometheus: running };
    },
    requirements: () => [
      {
        program: "prometheus",
        packages: ["prometheus"],
        present: findExecutable("prometheus") !== undefined,
      },
    ],
    start: () =>
      startPrometheusServer(
        { dir, port, listenHost: context.listenHost, driftwatchTarget: context.driftwatchTarget },
        context.timeoutMs,
      ),
    stop: () => stopPrometheusServer(dir),
  };
}

export function stackComponents(context: ComponentContext): StackComponent[] {
  return [clickhouseComponent(context), kafkaComponent(context), prometheusComponent(context)];
}
