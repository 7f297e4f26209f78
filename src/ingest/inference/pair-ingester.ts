// The joiner of an inference integration: a consumer-group member on a join topic (KServe's
// `driftwatch.cloudevents`, Seldon's `driftwatch.seldon`) whose records are request and response
// halves keyed by pair id, so both halves of a pair land on one partition and one member.
//
// Design (docs/integrations/kserve.md has the picture):
// - Join: per partition, a half waits in PartitionJoiner until its partner arrives (either
//   order). A resent half of a waiting or lately joined pair is a duplicate and settles at once.
//   A joined pair becomes events through the codec and the model's mapping; every event is
//   checked with the ingester's own validation. Anything that cannot be joined (no partner within
//   joinWait, join state full) or mapped is dead-lettered, both halves, with a reason.
// - Store: events are produced to the predictions topic keyed by event_id (row i of a batch:
//   "<pair id>/<i>"), where the ingester stores them with its dedup, positions and dead letters;
//   dead letters go to the DLQ topic and the dead_letters table. Writes are retried until done.
// - Offsets: a half's offset settles only once its pair's events were acknowledged by Kafka or
//   its dead letter was written; a partition is committed up to its lowest unsettled offset
//   (OffsetTracker), never beyond. A crash or rebalance throws the join state away and the
//   group re-reads from there: waiting halves come back with their partners, pairs already
//   produced are produced again with the same event ids and dropped as duplicates downstream.
//   A waiting half holds its partition's commit back for at most joinWait.
//
// Lifecycle: `start()` ensures the topics and joins the group; `stop()` writes what was settled,
// commits and leaves (halves still waiting are read again by the next member).
import type {
  BatchContext,
  ConsumerGroup,
  KafkaClient,
  KafkaRecord,
  Producer,
  RecordBatch,
} from "../../kafka/index.js";
import type { SqlEngine } from "../../store/index.js";
import { storedText, type Logger } from "../../util/index.js";
import type { BackoffPolicy } from "../backoff.js";
import { BatchAbandonedError } from "../batch-writer.js";
import { DEFAULT_MAX_MESSAGE_BYTES, DeadLetterSender } from "../dlq-sender.js";
import { deadLetterRecord } from "../pending-batch.js";
import type { DeadLetterReason } from "../reasons.js";
import { validatePrediction } from "../validate.js";
import type { InferenceMetrics } from "./inference-metrics.js";
import type { PairCodec } from "./pair-codec.js";
import { OffsetTracker, PartitionJoiner, type Half } from "./pair-joiner.js";
import { emptyOutput, PairWriter, type PairOutput } from "./pair-writer.js";

export interface PairIngesterSettings {
  /** The join topic. */
  readonly topic: string;
  readonly groupId: string;
  readonly predictionsTopic: string;
  readonly dlqTopic: string;
  readonly database: string;
  readonly topicPartitions: number;
  readonly replicationFactor: number;
  readonly joinWaitMs: number;
  readonly maxPendingHalves: number;
  readonly maxEventBytes: number;
  readonly retry: BackoffPolicy;
  readonly sessionTimeoutMs?: number;
  /** How long `stop()` keeps trying to write what was settled (default 30 s). */
  readonly shutdownGraceMs?: number;
}

export interface PairIngesterDependencies {
  readonly kafka: KafkaClient;
  readonly engine: SqlEngine;
  readonly logger: Logger;
  readonly metrics: InferenceMetrics;
  readonly codec: PairCodec;
}

/** Settled output written at once when it grows this large (else on the next tick). */
const FLUSH_AT = 5_000;
const HEARTBEAT_EVERY_MS = 1_000;
const MAX_DETAIL_CHARS = 1_000;
/** Headers naming a half in its dead letter's detail. */
const CONTEXT_HEADERS = ["ce-id", "ce-type", "ce-inferenceservicename", "dw-model", "dw-origin"];

function halfContext(record: KafkaRecord): string {
  const parts: string[] = [];
  for (const name of CONTEXT_HEADERS) {
    const value = record.headers[name];
    if (value !== undefined) parts.push(`${name}=${String(value)}`);
  }
  return parts.length === 0 ? "" : ` [${parts.join(" ")}]`;
}

export class PairIngester {
  private readonly joiners = new Map<number, PartitionJoiner>();
  private readonly trackers = new Map<number, OffsetTracker>();
  private readonly caughtUp = new Map<number, boolean>();
  private readonly committed = new Map<number, number>();
  private output: PairOutput = emptyOutput();
  private flushing?: Promise<void>;
  private epoch = 0;
  private abandon = new AbortController();
  private consumer?: ConsumerGroup;
  private producer?: Producer;
  private writer?: PairWriter;
  private timer?: NodeJS.Timeout;
  private joined = false;
  private stopping = false;
  private readonly fatalListeners: ((error: Error) => void)[] = [];

  constructor(
    private readonly settings: PairIngesterSettings,
    private readonly deps: PairIngesterDependencies,
  ) {}

  get source(): string {
    return this.deps.codec.source;
  }

  onFatal(listener: (error: Error) => void): void {
    this.fatalListeners.push(listener);
  }

  /** Empty when ready; otherwise why not (for /readyz). */
  readiness(): string {
    if (this.stopping) return "stopping";
    if (!this.joined) return `${this.source} joiner not yet a member of its consumer group`;
    if (this.writer?.isFailing) return `${this.source} joiner's writes are failing`;
    return "";
  }

  async start(): Promise<void> {
    const { settings, deps } = this;
    const admin = deps.kafka.admin();
    await admin.connect();
    let maxMessageBytes: number | undefined;
    try {
      await admin.ensureTopics(
        [settings.topic, settings.predictionsTopic, settings.dlqTopic].map((topic) => ({
          topic,
          partitions: settings.topicPartitions,
          replicationFactor: settings.replicationFactor,
        })),
      );
      maxMessageBytes = await admin.topicMaxMessageBytes(settings.dlqTopic).catch(() => undefined);
    } finally {
      await admin.close();
    }
    const producer = deps.kafka.producer();
    await producer.connect();
    this.producer = producer;
    this.writer = new PairWriter({
      producer,
      dlq: new DeadLetterSender({
        producer,
        topic: settings.dlqTopic,
        maxMessageBytes: maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
        logger: deps.logger,
      }),
      engine: deps.engine,
      database: settings.database,
      predictionsTopic: settings.predictionsTopic,
      retry: settings.retry,
      logger: deps.logger,
    });
    const consumer = deps.kafka.consumerGroup({
      groupId: settings.groupId,
      topics: [settings.topic],
      fromBeginning: true,
      sessionTimeoutMs: settings.sessionTimeoutMs,
      maxBytes: 4 * 1024 * 1024,
      maxBytesPerPartition: 1024 * 1024,
    });
    this.consumer = consumer;
    consumer.onAssignment((assigned) => {
      this.joined = true;
      deps.logger.info({ assigned }, `${this.source} joiner: partitions assigned`);
      this.reset();
    });
    consumer.onRebalancing(() => this.reset());
    consumer.onCrash((error) => this.fatal(error));
    const tick = Math.max(20, Math.min(200, Math.floor(settings.joinWaitMs / 4)));
    this.timer = setInterval(() => this.tick(), tick);
    await consumer.start((batch, context) => this.handle(batch, context));
    deps.logger.info(
      { topic: settings.topic, groupId: settings.groupId },
      `${this.source} joiner started`,
    );
  }

  /** Write what was settled, commit and leave the group; false when that could not be done. */
  async stop(): Promise<boolean> {
    if (this.stopping) return true;
    this.stopping = true;
    clearInterval(this.timer);
    const deadline = setTimeout(
      () => this.abandon.abort(),
      this.settings.shutdownGraceMs ?? 30_000,
    );
    let clean = true;
    try {
      await this.flush(undefined);
      await this.commit();
    } catch {
      clean = false;
    } finally {
      clearTimeout(deadline);
    }
    await this.consumer?.stop();
    await this.producer?.close();
    this.deps.logger.info({ clean }, `${this.source} joiner stopped`);
    return clean;
  }

  private async handle(batch: RecordBatch, context: BatchContext): Promise<void> {
    if (this.stopping) return;
    const { partition, records } = batch;
    const last = records[records.length - 1];
    if (last === undefined) return;
    let joiner = this.joiners.get(partition);
    let tracker = this.trackers.get(partition);
    if (joiner === undefined || tracker === undefined) {
      joiner = new PartitionJoiner();
      tracker = new OffsetTracker();
      this.joiners.set(partition, joiner);
      this.trackers.set(partition, tracker);
    }
    for (const record of records) {
      tracker.consumed(record.offset);
      this.take(partition, record, joiner, tracker);
    }
    this.deps.metrics.halvesConsumed.labels(this.source).inc(records.length);
    this.caughtUp.set(partition, last.offset + 1 >= batch.highWatermark);
    this.evictOverflow();
    if (this.output.events.length + this.output.deadLetters.length >= FLUSH_AT) {
      await this.flush(context);
    }
  }

  private take(
    partition: number,
    record: KafkaRecord,
    joiner: PartitionJoiner,
    tracker: OffsetTracker,
  ): void {
    const identity = this.deps.codec.identify(record);
    if ("ok" in identity) {
      this.deadLetter(partition, record, identity.reason, identity.detail);
      return;
    }
    const outcome = joiner.add({ ...identity, partition, record });
    if (outcome.kind === "duplicate") {
      this.deps.metrics.duplicates.labels(this.source).inc();
      tracker.settle(record.offset);
    } else if (outcome.kind === "joined") {
      this.pair(outcome.request, outcome.response);
    }
  }

  /** A joined pair: its events, or both halves dead-lettered with the reason. */
  private pair(request: Half, response: Half): void {
    this.deps.metrics.pairsJoined.labels(this.source).inc();
    const mapped = this.deps.codec.events(request.record, response.record);
    const fail = (reason: DeadLetterReason, detail: string) => {
      for (const half of [request, response]) {
        this.deadLetter(half.partition, half.record, reason, `${half.side} half: ${detail}`);
      }
    };
    if (!mapped.ok) return fail(mapped.reason, mapped.detail);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const records = [];
    for (const [row, event] of mapped.value.entries()) {
      const value = Buffer.from(JSON.stringify(event), "utf8");
      const verdict = validatePrediction(
        {
          topic: this.settings.topic,
          partition: request.partition,
          offset: request.record.offset,
          timestampMs: request.record.timestampMs,
          value,
        },
        { maxEventBytes: this.settings.maxEventBytes },
        nowSeconds,
      );
      if (!verdict.ok) return fail(verdict.reason, `row ${row}: ${verdict.detail}`);
      records.push({ key: event.event_id, value });
    }
    this.output.events.push(...records);
    this.output.settles.push(
      { partition: request.partition, offset: request.record.offset },
      { partition: response.partition, offset: response.record.offset },
    );
    this.deps.metrics.eventsProduced.labels(this.source).inc(records.length);
  }

  private deadLetter(
    partition: number,
    record: KafkaRecord,
    reason: DeadLetterReason,
    detail: string,
  ): void {
    const row = {
      received_at: Math.floor(Date.now() / 1000),
      topic: this.settings.topic,
      partition,
      offset: record.offset,
      reason,
      detail: storedText(`${detail}${halfContext(record)}`, MAX_DETAIL_CHARS),
      raw: record.value ?? Buffer.alloc(0),
      key: record.key ?? Buffer.alloc(0),
    };
    this.output.deadLetters.push(row);
    this.output.dlqRecords.push(deadLetterRecord(row, record.key));
    this.output.settles.push({ partition, offset: record.offset });
    this.deps.metrics.deadLettered.labels(this.source, reason).inc();
  }

  /** Beyond maxPendingHalves, the oldest waiting halves (of any partition) are dead-lettered. */
  private evictOverflow(): void {
    let waiting = 0;
    for (const joiner of this.joiners.values()) waiting += joiner.size;
    while (waiting > this.settings.maxPendingHalves) {
      let oldest: PartitionJoiner | undefined;
      for (const joiner of this.joiners.values()) {
        if (oldest === undefined || joiner.oldestTimestampMs() < oldest.oldestTimestampMs()) {
          oldest = joiner;
        }
      }
      const half = oldest?.evictOldest();
      if (half === undefined) break;
      waiting--;
      this.deadLetter(
        half.partition,
        half.record,
        "unjoinable",
        `${half.side} half evicted: more than ${this.settings.maxPendingHalves} halves waiting`,
      );
    }
    this.deps.metrics.halvesWaiting.labels(this.source).set(waiting);
  }

  private tick(): void {
    if (this.stopping) return;
    const now = Date.now();
    for (const [partition, joiner] of this.joiners) {
      const caughtUp = this.caughtUp.get(partition) ?? false;
      for (const half of joiner.expire(now, caughtUp, this.settings.joinWaitMs)) {
        const partner = half.side === "request" ? "response" : "request";
        this.deadLetter(
          partition,
          half.record,
          "unjoinable",
          `${half.side} half: no ${partner} within joinWait (${this.settings.joinWaitMs} ms)`,
        );
      }
    }
    this.evictOverflow();
    if (this.flushing !== undefined) return;
    this.flush(undefined).catch((error: unknown) => this.fatal(error as Error));
  }

  /** Write the settled output (one flush at a time), settle its offsets and commit. */
  private async flush(context: BatchContext | undefined): Promise<void> {
    while (this.flushing !== undefined) await this.waitForFlush(context);
    const writer = this.writer;
    if (writer === undefined) return;
    const output = this.output;
    this.output = emptyOutput();
    const epoch = this.epoch;
    this.flushing = (async () => {
      if (output.settles.length > 0) await writer.write(output, this.abandon.signal);
      if (epoch !== this.epoch) return;
      for (const { partition, offset } of output.settles) {
        this.trackers.get(partition)?.settle(offset);
      }
      await this.commit();
    })()
      .catch((error: unknown) => {
        if (error instanceof BatchAbandonedError) {
          this.deps.logger.warn({ err: error }, `${this.source} joiner: flush abandoned`);
          if (this.stopping) throw error;
          return;
        }
        throw error;
      })
      .finally(() => {
        this.flushing = undefined;
      });
    await this.waitForFlush(context);
  }

  private async waitForFlush(context: BatchContext | undefined): Promise<void> {
    const flushing = this.flushing;
    if (flushing === undefined) return;
    if (context === undefined) return flushing;
    let done = false;
    const settled = flushing.finally(() => {
      done = true;
    });
    while (!done) {
      await Promise.race([
        settled,
        new Promise((resolve) => setTimeout(resolve, HEARTBEAT_EVERY_MS)),
      ]);
      if (!done) await context.heartbeat();
    }
    await settled;
  }

  /** Commit each partition up to its lowest unsettled offset, where that moved. */
  private async commit(): Promise<void> {
    const consumer = this.consumer;
    if (consumer === undefined) return;
    const positions = [];
    for (const [partition, tracker] of this.trackers) {
      const offset = tracker.committable();
      if (offset >= 0 && offset > (this.committed.get(partition) ?? -1)) {
        positions.push({ topic: this.settings.topic, partition, offset });
      }
    }
    if (positions.length === 0) return;
    const epoch = this.epoch;
    try {
      await consumer.commit(positions);
      if (epoch !== this.epoch) return;
      for (const { partition, offset } of positions) this.committed.set(partition, offset);
    } catch (error) {
      // Settled halves stay settled: the next tick commits them again.
      this.deps.logger.warn({ err: error }, `${this.source} joiner: offset commit failed`);
    }
  }

  /** Throw the join state away (rebalance, join): the group re-reads from the committed offsets. */
  private reset(): void {
    this.epoch++;
    this.abandon.abort();
    this.abandon = new AbortController();
    this.joiners.clear();
    this.trackers.clear();
    this.caughtUp.clear();
    this.committed.clear();
    this.output = emptyOutput();
    this.deps.metrics.halvesWaiting.labels(this.source).set(0);
  }

  private fatal(error: Error): void {
    this.deps.logger.error({ err: error }, `${this.source} joiner cannot continue`);
    for (const listener of this.fatalListeners.splice(0)) listener(error);
  }
}
