// The single-node Kafka broker driftwatch runs itself: jars fetched once with mvn into libs/,
// storage formatted once with kafka.tools.StorageTool, broker started detached with kafka.Kafka,
// readiness checked with a real metadata request (kafkajs admin), stopped by its pid file.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { findExecutable } from "./executables.js";
import {
  KAFKA_VERSION,
  kafkaFiles,
  kafkaJvmOptions,
  kafkaLog4jProperties,
  kafkaServerProperties,
  usesLog4j2,
  type KafkaLayout,
} from "./kafka-config.js";
import { projectRoot } from "./layout.js";
import { logExcerpt } from "./probes.js";
import {
  awaitServerReady,
  spawnDetached,
  stopTrackedProcess,
  trackedPid,
  writePidFile,
} from "./processes.js";
import { outputTail, runCommand } from "./run-command.js";
import type { Progress } from "./apt.js";

export interface KafkaProbe {
  readonly healthy: boolean;
  readonly clusterId?: string;
  readonly brokers?: number;
}

/** Whether a Kafka broker answers a metadata request on host:port. */
export async function probeKafka(
  port: number,
  host = "127.0.0.1",
  timeoutMs = 3_000,
): Promise<KafkaProbe> {
  const kafka = new Kafka({
    clientId: "driftwatch-stack-probe",
    brokers: [`${host}:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(1_000, timeoutMs),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<KafkaProbe>((resolveDeadline) => {
    timer = setTimeout(() => resolveDeadline({ healthy: false }), timeoutMs + 500);
  });
  const attempt = (async (): Promise<KafkaProbe> => {
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      const healthy = cluster.brokers.length > 0 && cluster.controller !== null;
      return { healthy, clusterId: cluster.clusterId, brokers: cluster.brokers.length };
    } catch {
      return { healthy: false };
    }
  })();
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/** The Kafka version a broker's command line runs, read from the kafka_2.13-*.jar on its classpath. */
export function kafkaVersionFromCommandLine(commandLineText: string): string | undefined {
  const classpath = /-(?:cp|classpath)\s+(\S+)/.exec(commandLineText)?.[1];
  if (classpath === undefined) return undefined;
  for (const entry of classpath.split(":")) {
    const direct = /kafka_2\.1\d-([\w.-]+)\.jar$/.exec(entry);
    if (direct?.[1] !== undefined) return direct[1];
    if (entry.endsWith("/*")) {
      try {
        for (const file of readdirSync(entry.slice(0, -2))) {
          const match = /^kafka_2\.1\d-([\w.-]+?)\.jar$/.exec(file);
          if (match?.[1] !== undefined) return match[1];
        }
      } catch {
        // directory gone
      }
    }
  }
  return undefined;
}

export function kafkaPid(dir: string): number | undefined {
  return trackedPid(kafkaFiles(dir).pidFile, "kafka.Kafka");
}

/** The mvn and java programs Kafka needs, and whether each is installed. */
export function kafkaRequirements() {
  return [
    {
      program: "java",
      packages: ["openjdk-17-jre-headless"],
      present: findExecutable("java") !== undefined,
    },
    { program: "mvn", packages: ["maven"], present: findExecutable("mvn") !== undefined },
  ];
}

/**
 * Fetch the jars of Kafka `version` into libs/ with mvn unless they are already there. Jars of
 * another release are replaced as a whole (fetched beside, then swapped in).
 */
export async function ensureKafkaJars(
  dir: string,
  progress: Progress,
  version: string = KAFKA_VERSION,
): Promise<void> {
  const files = kafkaFiles(dir, version);
  if (existsSync(files.marker)) return;
  const mvn = findExecutable("mvn");
  if (mvn === undefined) throw new Error("mvn is not installed (Debian: apt-get install maven)");
  const pom = join(projectRoot(), "scripts", "stack", "kafka", "pom.xml");
  // Own staging directory per process: two fetches at once never write into the same one.
  const staging = `${files.libs}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(files.logs, { recursive: true });
  progress(`kafka: fetching Kafka ${version} jars with mvn (${pom}) into ${files.libs}`);
  const args = [
    "-B",
    "-Dstyle.color=never",
    "-f",
    pom,
    `-Dkafka.version=${version}`,
    // 4.x logs through log4j2 (the pom's default profile), 3.x through reload4j.
    ...(usesLog4j2(version) ? [] : ["-P", "reload4j"]),
    "dependency:copy-dependencies",
    `-DoutputDirectory=${staging}`,
  ];
  let result = await runCommand(mvn, args);
  if (result.code !== 0) {
    progress("kafka: mvn failed, retrying once");
    result = await runCommand(mvn, args);
  }
  writeFileSync(files.fetchLog, result.output);
  if (result.code !== 0 || !existsSync(join(staging, basename(files.marker)))) {
    throw new Error(
      `could not fetch Kafka from Maven Central with mvn (exit ${result.code}); ` +
        `full output in ${files.fetchLog}:\n${outputTail(result.output)}`,
    );
  }
  if (existsSync(files.marker)) {
    rmSync(staging, { recursive: true, force: true }); // another process swapped them in meanwhile
    return;
  }
  rmSync(files.libs, { recursive: true, force: true });
  renameSync(staging, files.libs);
}

function javaBinary(): string {
  const java = findExecutable("java");
  if (java === undefined)
    throw new Error("java is not installed (Debian: apt-get install openjdk-17-jre-headless)");
  return java;
}

/**
 * A KRaft cluster id: 16 random bytes, base64url — never starting with "-", which Kafka's
 * command-line parser would take for an option (1 id in 64 did, failing `stack up`).
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

/** Write the config files and format the storage directory once (KRaft needs a cluster id). */
export async function prepareKafka(layout: KafkaLayout, clusterId?: string): Promise<void> {
  const files = kafkaFiles(layout.dir, layout.version);
  mkdirSync(files.logs, { recursive: true });
  writeFileSync(files.serverProperties, kafkaServerProperties(layout));
  writeFileSync(files.log4j, kafkaLog4jProperties(layout));
  if (existsSync(files.meta)) return;
  const result = await runCommand(
    javaBinary(),
    [
      ...kafkaJvmOptions(layout, "256m"),
      "-cp",
      `${files.libs}/*`,
      "kafka.tools.StorageTool",
      "format",
      "-t",
      // All nodes of a cluster are formatted with the same id; a single node makes its own.
      clusterId ?? newClusterId(),
      "-c",
      files.serverProperties,
    ],
    { cwd: layout.dir },
  );
  writeFileSync(files.formatLog, result.output);
  if (result.code !== 0) {
    throw new Error(
      `kafka.tools.StorageTool format failed (exit ${result.code}):\n${outputTail(result.output)}`,
    );
  }
}

/** Start the broker (config and storage must be prepared); resolves once it serves metadata. */
export async function startKafkaServer(layout: KafkaLayout, timeoutMs = 120_000): Promise<number> {
  const files = kafkaFiles(layout.dir, layout.version);
  const pid = await spawnDetached({
    command: javaBinary(),
    args: [
      ...kafkaJvmOptions(layout),
      "-cp",
      `${files.libs}/*`,
      "kafka.Kafka",
      files.serverProperties,
    ],
    cwd: layout.dir,
    logFile: files.stdoutLog,
  });
  writePidFile(files.pidFile, pid);
  await awaitServerReady({
    what: `Kafka on port ${layout.port}`,
    pid,
    pidFile: files.pidFile,
    timeoutMs,
    graceMs: 10_000,
    healthy: async () => (await probeKafka(layout.port, layout.listenHost, 2_000)).healthy,
    intervalMs: 500,
    logs: () => `${logExcerpt(files.serverLog)}\n${logExcerpt(files.stdoutLog, 10)}`,
  });
  return pid;
}

/** Stop the broker started from `dir` (controlled shutdown, SIGKILL after `graceMs`). */
export async function stopKafkaServer(dir: string, graceMs = 30_000): Promise<boolean> {
  return stopTrackedProcess(kafkaFiles(dir).pidFile, kafkaPid(dir), graceMs);
}
