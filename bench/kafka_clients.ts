// `npm run bench:kafka-clients`: what the Kafka client itself costs on the ingester's read path.
// Produces BENCH_EVENTS bench events (bench/ingest_events.ts, ~440 bytes each) to a fresh topic
// with 3 partitions, then consumes all of them once per client, each in a child process of its
// own (so its CPU and peak RSS are its own), into a fresh consumer group from the earliest offset:
// - kafkajs through the project's consumer (src/kafka: createKafkaClient().consumerGroup with the
//   ingester's fetch sizes and 4 prefetched batches), records as src/kafka's KafkaRecord;
// - @platformatic/kafka 1.x (a maintained client that still runs on Node 20), its message stream
//   turned into the same KafkaRecord shape (offset and timestamp as numbers, key, value, headers).
// The handler only counts records and their value bytes: the figures are the client's fetch,
// decode and delivery, nothing of the ingester's own work. Per client: events/s from the call
// that joins the group to the last record (and from the first record to the last), CPU seconds
// per 1,000 events (process.cpuUsage over the same span, all threads) and peak RSS (VmHWM).
// Prints one JSON line: {events, kafkajs: {...}, platformatic: {...}, platformatic_vs_kafkajs}.
//
// Env: BENCH_EVENTS (default 1000000), DRIFTWATCH_KAFKA_BROKERS (default localhost:9092),
// BENCH_KAFKA_CLIENTS (which clients and in what order, default "kafkajs,platformatic"),
// BENCH_FETCH_MAX_BYTES (both clients' fetch limit, default the ingester's 1 MiB; per partition
// half of it), BENCH_NODE_ARGS (extra node flags for the consuming children, e.g. "--cpu-prof").
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import {
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  type Message,
} from "@platformatic/kafka";
import { createKafkaClient, type HeaderValue, type KafkaRecord } from "../src/kafka/index.js";
import { createLogger } from "../src/util/logger.js";
import { peakRssMb, produceBenchEvents } from "./ingest_run.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BROKERS = (process.env.DRIFTWATCH_KAFKA_BROKERS ?? "localhost:9092").split(",");
const PARTITIONS = 3;
/** The ingester's fetch sizes (src/ingest/ingester.ts): small fetches, a few batches ahead. */
const MAX_BYTES = Number(process.env.BENCH_FETCH_MAX_BYTES ?? 1024 * 1024);
const MAX_BYTES_PER_PARTITION = Math.floor(MAX_BYTES / 2);
const PREFETCH_BATCHES = 4;
/** A client that delivers nothing new for this long has stalled: the run fails. */
const STALL_MS = 60_000;

const CLIENTS = ["kafkajs", "platformatic"] as const;
type ClientName = (typeof CLIENTS)[number];

interface ConsumeRun {
  readonly client: ClientName;
  readonly events: number;
  readonly value_bytes: number;
  /** From the call that joins the group to the last record. */
  readonly seconds: number;
  readonly events_per_s: number;
  /** From the call that joins the group to the first record (join, first fetch). */
  readonly first_record_seconds: number;
  /** First record to last: the steady rate. */
  readonly steady_events_per_s: number;
  readonly cpu_seconds: number;
  readonly cpu_ms_per_1k_events: number;
  readonly peak_rss_mb: number;
}

function progress(message: string): void {
  process.stderr.write(`bench:kafka-clients: ${message}\n`);
}

/** Counts delivered records until `expected`, then resolves with the consume figures. */
class Tally {
  count = 0;
  bytes = 0;
  private readonly started = performance.now();
  private readonly cpuAtStart = process.cpuUsage();
  private firstAt = 0;
  private lastGrowth = performance.now();
  private resolveDone!: () => void;
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly expected: number) {}

  add(record: KafkaRecord): void {
    if (this.count === 0) this.firstAt = performance.now();
    this.count++;
    this.bytes += record.value?.length ?? 0;
    if (this.count === this.expected) this.resolveDone();
  }

  /** Throws when nothing new arrived for STALL_MS. */
  watch(): NodeJS.Timeout {
    let seen = 0;
    return setInterval(() => {
      if (this.count !== seen) {
        seen = this.count;
        this.lastGrowth = performance.now();
      } else if (performance.now() - this.lastGrowth > STALL_MS) {
        progress(`stalled at ${this.count} of ${this.expected} records`);
        process.exit(1);
      }
    }, 1_000);
  }

  figures(client: ClientName): ConsumeRun {
    const end = performance.now();
    const cpu = process.cpuUsage(this.cpuAtStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const seconds = (end - this.started) / 1000;
    return {
      client,
      events: this.count,
      value_bytes: this.bytes,
      seconds: round(seconds, 3),
      events_per_s: Math.round(this.count / seconds),
      first_record_seconds: round((this.firstAt - this.started) / 1000, 3),
      steady_events_per_s: Math.round((this.count - 1) / ((end - this.firstAt) / 1000)),
      cpu_seconds: round(cpuSeconds, 3),
      cpu_ms_per_1k_events: round((cpuSeconds * 1e6) / this.count, 4),
      peak_rss_mb: round(peakRssMb(process.pid), 1),
    };
  }
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** kafkajs behind the project's interface, with the ingester's consumer options. */
async function consumeWithKafkajs(topic: string, expected: number): Promise<ConsumeRun> {
  const kafka = createKafkaClient(
    { brokers: BROKERS, clientId: "bench-kafka-clients" },
    createLogger("bench", "warn"),
  );
  const tally = new Tally(expected);
  const consumer = kafka.consumerGroup({
    groupId: `dwbench-kafkajs-${randomBytes(4).toString("hex")}`,
    topics: [topic],
    fromBeginning: true,
    maxBytes: MAX_BYTES,
    maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
    prefetchBatches: PREFETCH_BATCHES,
  });
  const watch = tally.watch();
  await consumer.start(async (batch) => {
    for (const record of batch.records) tally.add(record);
  });
  await tally.done;
  const figures = tally.figures("kafkajs");
  clearInterval(watch);
  await consumer.stop();
  return figures;
}

const NO_HEADERS: Readonly<Record<string, HeaderValue | undefined>> = Object.freeze({});

/** A @platformatic/kafka message as the project's KafkaRecord (what an adapter would hand on). */
function toRecord(message: Message): KafkaRecord {
  let headers = NO_HEADERS;
  if (message.headers.size > 0) {
    const named: Record<string, HeaderValue | undefined> = {};
    for (const [name, value] of message.headers) named[name.toString("utf8")] = value;
    headers = named;
  }
  return {
    offset: Number(message.offset),
    timestampMs: Number(message.timestamp),
    key: message.key ?? null,
    value: message.value ?? null,
    headers,
  };
}

/** @platformatic/kafka 1.x: a group member from the committed offset, else the earliest. */
async function consumeWithPlatformatic(topic: string, expected: number): Promise<ConsumeRun> {
  const tally = new Tally(expected);
  const consumer = new Consumer({
    clientId: "bench-kafka-clients",
    bootstrapBrokers: BROKERS,
    groupId: `dwbench-platformatic-${randomBytes(4).toString("hex")}`,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxBytes: MAX_BYTES,
    maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
    maxWaitTime: 500,
    autocommit: false,
  });
  const watch = tally.watch();
  const stream = await consumer.consume({
    topics: [topic],
    mode: MessagesStreamModes.COMMITTED,
    fallbackMode: MessagesStreamFallbackModes.EARLIEST,
    autocommit: false,
  });
  stream.on("data", (message: Message) => tally.add(toRecord(message)));
  stream.on("error", (error: Error) => {
    progress(`platformatic stream failed: ${error.message}`);
    process.exit(1);
  });
  await tally.done;
  const figures = tally.figures("platformatic");
  clearInterval(watch);
  await stream.close();
  await consumer.close(true);
  return figures;
}

/** Child mode: `--consume <client> <topic> <events>` prints its ConsumeRun as one JSON line. */
async function consumeChild(client: ClientName, topic: string, expected: number): Promise<void> {
  const run =
    client === "kafkajs"
      ? await consumeWithKafkajs(topic, expected)
      : await consumeWithPlatformatic(topic, expected);
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

function runChild(client: ClientName, topic: string): Promise<ConsumeRun> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter((arg) => arg !== "");
    const args = [...nodeArgs, script, "--consume", client, topic, String(EVENTS)];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`the ${client} consumer exited with ${code}`));
      else resolve(JSON.parse(out.trim()) as ConsumeRun);
    });
  });
}

function clientsToRun(): ClientName[] {
  const names = (process.env.BENCH_KAFKA_CLIENTS ?? CLIENTS.join(",")).split(",");
  for (const name of names) {
    if (!(CLIENTS as readonly string[]).includes(name)) {
      throw new Error(`BENCH_KAFKA_CLIENTS: unknown client ${name} (known: ${CLIENTS.join(", ")})`);
    }
  }
  return names as ClientName[];
}

async function main(): Promise<void> {
  const clients = clientsToRun();
  const topic = `dwbench.${randomBytes(4).toString("hex")}.clients`;
  const kafka = createKafkaClient(
    { brokers: BROKERS, clientId: "bench-kafka-clients" },
    createLogger("bench", "warn"),
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.ensureTopics([{ topic, partitions: PARTITIONS, replicationFactor: 1 }]);
    progress(`producing ${EVENTS} events to ${topic} (${PARTITIONS} partitions)`);
    const produceSeconds = await produceBenchEvents({
      brokers: BROKERS,
      topic,
      count: EVENTS,
      progress,
    });
    progress(`produced in ${produceSeconds.toFixed(1)} s`);
    const runs: Partial<Record<ClientName, ConsumeRun>> = {};
    for (const client of clients) {
      const load = loadavg()[0]!.toFixed(2);
      progress(`consuming with ${client} (load average ${load})`);
      const run = await runChild(client, topic);
      if (run.events !== EVENTS) throw new Error(`${client} consumed ${run.events} of ${EVENTS}`);
      runs[client] = run;
      progress(`${client}: ${JSON.stringify(run)}`);
    }
    const { kafkajs, platformatic } = runs;
    const ratios =
      kafkajs === undefined || platformatic === undefined
        ? undefined
        : {
            events_per_s: round(platformatic.events_per_s / kafkajs.events_per_s, 3),
            steady_events_per_s: round(
              platformatic.steady_events_per_s / kafkajs.steady_events_per_s,
              3,
            ),
            cpu_per_event: round(
              platformatic.cpu_ms_per_1k_events / kafkajs.cpu_ms_per_1k_events,
              3,
            ),
            peak_rss: round(platformatic.peak_rss_mb / kafkajs.peak_rss_mb, 3),
          };
    process.stdout.write(
      `${JSON.stringify({
        events: EVENTS,
        partitions: PARTITIONS,
        produce_seconds: round(produceSeconds, 2),
        load_average_1m: round(loadavg()[0]!, 2),
        fetch_max_bytes: MAX_BYTES,
        ...runs,
        platformatic_vs_kafkajs: ratios,
      })}\n`,
    );
  } finally {
    await admin.deleteTopics([topic]).catch(() => undefined);
    await admin.close();
  }
}

const [mode, client, topic, expected] = process.argv.slice(2);
const work =
  mode === "--consume" ? consumeChild(client as ClientName, topic!, Number(expected)) : main();
work.then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    progress(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
