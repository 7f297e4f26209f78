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
 *
 *   await startPrivateKafka({ version: KAFKA_COMPAT_VERSION });   // a 3.9 broker instead of 4.x
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KAFKA_VERSION, kafkaFiles, type KafkaLayout } from "./kafka-config.js";
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
  /** Kafka release (default KAFKA_VERSION, the stack's). */
  readonly version?: string;
}

export interface PrivateKafka {
  /** Bootstrap servers, for DRIFTWATCH_KAFKA_BROKERS. */
  readonly brokers: readonly string[];
  readonly port: number;
  readonly dir: string;
  /** The Kafka release it runs. */
  readonly version: string;
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
  const version = options.version ?? KAFKA_VERSION;
  const port = await findFreePort();
  let controllerPort = await findFreePort();
  while (controllerPort === port) controllerPort = await findFreePort();
  const layout: KafkaLayout = { dir, port, controllerPort, listenHost: "127.0.0.1", version };
  const files = kafkaFiles(dir, version);
  const shared = options.jarsFrom ?? process.env.DRIFTWATCH_STACK_DIR;
  const sharedFiles = shared === undefined ? undefined : kafkaFiles(join(shared, "kafka"), version);
  if (!existsSync(files.marker)) {
    // The stack's jars when they are this release; else a fetch of our own (mvn's ~/.m2 cache).
    if (sharedFiles !== undefined && existsSync(sharedFiles.marker) && !existsSync(files.libs)) {
      symlinkSync(sharedFiles.libs, files.libs);
    } else {
      await ensureKafkaJars(dir, () => undefined, version);
    }
  }
  await prepareKafka(layout);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const kafka: PrivateKafka = {
    brokers: [`${layout.listenHost}:${layout.port}`],
    port: layout.port,
    dir,
    version,
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
