// The three stack components (ClickHouse, Kafka, Prometheus) behind one shape, so `stack up`,
// `down` and `status` treat them alike: probe health, list ports and packages, start, stop.
import { join } from "node:path";
import type { Progress, Requirement } from "./apt.js";
import { clickhouseFiles } from "./clickhouse-config.js";
import {
  clickhousePid,
  clickhouseServerBinary,
  probeClickHouse,
  startClickHouseServer,
  stopClickHouseServer,
} from "./clickhouse-server.js";
import { findExecutable } from "./executables.js";
import { kafkaFiles, KAFKA_VERSION } from "./kafka-config.js";
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
import { prometheusFiles } from "./prometheus-config.js";
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
  probe(): Promise<Health>;
  /** The pid of the instance this stack directory started, if it runs. */
  managedPid(): number | undefined;
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

function clickhouseComponent(context: ComponentContext): StackComponent {
  const dir = join(context.stackDir, "clickhouse");
  const { clickhouseHttp: httpPort, clickhouseTcp: tcpPort } = context.ports;
  return {
    name: "clickhouse",
    title: "ClickHouse",
    ports: [
      { label: "HTTP", port: httpPort, envVar: PORT_ENV_VARS.clickhouseHttp },
      { label: "native TCP", port: tcpPort, envVar: PORT_ENV_VARS.clickhouseTcp },
    ],
    dir,
    logFile: clickhouseFiles(dir).errorLog,
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
      { label: "broker", port: layout.port, envVar: PORT_ENV_VARS.kafka },
      { label: "controller", port: layout.controllerPort, envVar: PORT_ENV_VARS.kafkaController },
    ],
    dir,
    logFile: kafkaFiles(dir).serverLog,
    async probe() {
      const probe = await probeKafka(layout.port, layout.listenHost);
      if (!probe.healthy) return { healthy: false };
      const pid = kafkaPid(dir) ?? portOwner(layout.port)?.pid;
      const version = pid === undefined ? undefined : kafkaVersionFromCommandLine(commandLine(pid));
      return { healthy: true, version };
    },
    managedPid: () => kafkaPid(dir),
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
    ports: [{ label: "HTTP", port, envVar: PORT_ENV_VARS.prometheus }],
    dir,
    logFile: files.stdoutLog,
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
