/**
 * A private Kafka broker (KRaft, one node) for tests that must kill or restart the broker (fault
 * tests) without touching the shared one: its own directory (logs survive kill/start) and its own
 * loopback ports, a capped heap. The jars are linked from a stack directory that has them (no
 * second Maven fetch), else fetched.
 *
 *   const kafka = await startPrivateKafka();   // temp dir, free ports, started
 *   kafka.brokers;                             // ["127.0.0.1:<port>"]
 *   await kafka.kill();                        // SIGKILL, no controlled shutdown
 *   await kafka.start();                       // same dir and ports, data kept
 *   await kafka.destroy();                     // stop, and delete the directory
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kafkaFiles, type KafkaLayout } from "./kafka-config.js";
import {
  ensureKafkaJars,
  kafkaPid,
  prepareKafka,
  startKafkaServer,
  stopKafkaServer,
} from "./kafka-server.js";
import { findFreePort } from "./probes.js";
import { killProcess } from "./processes.js";

export interface PrivateKafkaOptions {
  /** Directory for config, data and logs; default a new temp dir (deleted by destroy()). */
  readonly dir?: string;
  /** A stack directory whose kafka/libs holds the jars (default $DRIFTWATCH_STACK_DIR). */
  readonly jarsFrom?: string;
  /** How long start() waits for the broker (default 120 s). */
  readonly timeoutMs?: number;
}

export interface PrivateKafka {
  /** Bootstrap servers, for DRIFTWATCH_KAFKA_BROKERS. */
  readonly brokers: readonly string[];
  readonly port: number;
  readonly dir: string;
  pid(): number | undefined;
  /** Start (no-op when running); resolves once the broker serves metadata. */
  start(): Promise<void>;
  /** Controlled shutdown (SIGTERM, SIGKILL after 30 s). */
  stop(): Promise<void>;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivateKafka(options: PrivateKafkaOptions = {}): Promise<PrivateKafka> {
  const created = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "dw-private-kafka-"));
  mkdirSync(dir, { recursive: true });
  const layout: KafkaLayout = {
    dir,
    port: await findFreePort(),
    controllerPort: await findFreePort(),
    listenHost: "127.0.0.1",
  };
  const files = kafkaFiles(dir);
  const shared = options.jarsFrom ?? process.env.DRIFTWATCH_STACK_DIR;
  const sharedLibs = shared === undefined ? undefined : kafkaFiles(join(shared, "kafka")).libs;
  if (!existsSync(files.libs)) {
    if (sharedLibs !== undefined && existsSync(kafkaFiles(join(shared!, "kafka")).marker)) {
      symlinkSync(sharedLibs, files.libs);
    } else {
      await ensureKafkaJars(dir, () => undefined);
    }
  }
  await prepareKafka(layout);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const kafka: PrivateKafka = {
    brokers: [`${layout.listenHost}:${layout.port}`],
    port: layout.port,
    dir,
    pid: () => kafkaPid(dir),
    async start() {
      if (kafkaPid(dir) !== undefined) return;
      await startKafkaServer(layout, timeoutMs);
    },
    async stop() {
      await stopKafkaServer(dir);
    },
    async kill() {
      const pid = kafkaPid(dir);
      if (pid !== undefined) await killProcess(pid);
    },
    async destroy() {
      await stopKafkaServer(dir, 10_000).catch(() => undefined);
      if (created) rmSync(dir, { recursive: true, force: true });
    },
  };
  await kafka.start();
  return kafka;
}
