// The ingester: a consumer-group member that validates prediction and label events, batches them
// by rows, bytes and time, writes each batch with one INSERT per table and commits offsets only
// after ClickHouse acknowledged. At most one batch is being written while the next one fills.
//
// Lifecycle: `start()` ensures the topics, connects and joins the group; `stop()` writes the batch
// in hand, commits and leaves the group (it resolves to false when that could not be done cleanly).
import type {
  Admin,
  BatchContext,
  ConsumerGroup,
  KafkaClient,
  Producer,
  RecordBatch,
} from "../kafka/index.js";
import type { IngestMetrics } from "./ingest-metrics.js";
import { type SqlEngine, activeModelNames } from "../store/index.js";
import type { Logger } from "../util/index.js";
import { type BackoffPolicy, backoffDelayMs } from "./backoff.js";
import { BatchAbandonedError, BatchWriter } from "./batch-writer.js";
import { DedupWindow } from "./dedup-window.js";
import { DEFAULT_MAX_MESSAGE_BYTES, DeadLetterSender } from "./dlq-sender.js";
import { intakeBatch, type IntakeContext, type TopicRole } from "./intake.js";
import { ModelGate, type ModelGateSettings } from "./model-gate.js";
import { createBatchBuffers, PendingBatch, type BatchBuffers } from "./pending-batch.js";
import { StoredPositions } from "./stored-positions.js";
import type { ForcedFeatureKinds } from "./features.js";

export interface IngesterSettings {
  readonly database: string;
  readonly topics: { readonly predictions: string; readonly labels: string; readonly dlq: string };
  readonly groupId: string;
  readonly topicPartitions: number;
  readonly replicationFactor: number;
  readonly batchMaxRows: number;
  /** A batch is written once its inserts reach this many bytes (default 32 MiB). */
  readonly batchMaxBytes?: number;
  readonly batchMaxWaitMs: number;
  readonly maxEventBytes: number;
  /** Which models are taken and how many (absent: every model, no limit). */
  readonly models?: ModelGateSettings & {
    /** Models count when they have events within this many days (0: ever). */
    readonly activeDays: number;
    /** How often the count is read again from ClickHouse (default 60 s). */
    readonly refreshMs?: number;
  };
  readonly dedupWindowEvents: number;
  readonly retry: BackoffPolicy;
  readonly sessionTimeoutMs?: number;
  /** How long `stop()` keeps trying to write the last batch before giving up. */
  readonly shutdownGraceMs?: number;
  readonly forcedKinds?: (model: string) => ForcedFeatureKinds | undefined;
}

export interface IngesterDependencies {
  readonly kafka: KafkaClient;
  readonly engine: SqlEngine;
  readonly metrics: IngestMetrics;
  readonly logger: Logger;
}

/** Heartbeats at least this often while a batch handler waits. */
const HEARTBEAT_EVERY_MS = 1_000;
const DEFAULT_BATCH_MAX_BYTES = 32 * 1024 * 1024;
const DAY_SECONDS = 86_400;

function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export class Ingester {
  private readonly positions: StoredPositions;
  private readonly windows: Record<TopicRole, DedupWindow>;
  private readonly gate?: ModelGate;
  private readonly intake: IntakeContext;
  private readonly logger: Logger;
  private consumer?: ConsumerGroup;
  private producer?: Producer;
  private writer?: BatchWriter;
  /** RowBinary buffers of written batches, kept for the next ones (at most two pairs). */
  private readonly freeBuffers: BatchBuffers[] = [];
  private current: PendingBatch;
  private inFlight?: Promise<void>;
  /** Aborted on rebalance or at the shutdown deadline: failing writes stop being retried. */
  private abandon = new AbortController();
  /** Bumped whenever the pending state is thrown away; handlers of an older epoch stop adding. */
  private epoch = 0;
  private timer?: NodeJS.Timeout;
  private joined = false;
  private stopping = false;
  private refreshingGate = false;
  /** Whether every write since stop() began was stored and committed. */
  private clean = true;
  private readonly fatalListeners: ((error: Error) => void)[] = [];

  constructor(
    private readonly settings: IngesterSettings,
    private readonly deps: IngesterDependencies,
  ) {
    this.logger = deps.logger;
    this.current = this.newBatch();
    this.positions = new StoredPositions(deps.engine, settings.database);
    this.windows = {
      predictions: new DedupWindow(settings.dedupWindowEvents),
      labels: new DedupWindow(settings.dedupWindowEvents),
    };
    const { predictions, labels } = settings.topics;
    const models = settings.models;
    if (models !== undefined) {
      this.gate = new ModelGate(
        models,
        () =>
          activeModelNames(
            deps.engine,
            settings.database,
            models.activeDays > 0 ? Date.now() / 1000 - models.activeDays * DAY_SECONDS : 0,
          ),
        models.refreshMs,
      );
    }
    this.intake = {
      roleOf: (topic) =>
        topic === predictions ? "predictions" : topic === labels ? "labels" : undefined,
      rules: { maxEventBytes: settings.maxEventBytes, forcedKinds: settings.forcedKinds },
      positions: this.positions,
      windows: this.windows,
      metrics: deps.metrics,
      gate: this.gate,
    };
  }

  /** Called once if the ingester cannot continue (the Kafka client gave up, or a bug). */
  onFatal(listener: (error: Error) => void): void {
    this.fatalListeners.push(listener);
  }

  /** Empty when ready; otherwise why not (for /readyz). */
  readiness(): string {
    if (this.stopping) return "stopping";
    if (!this.joined) return "not yet a member of the consumer group";
    if (this.writer?.isFailing) return "writes are failing; consumption paused";
    return "";
  }

  async start(): Promise<void> {
    const { settings, deps } = this;
    const admin: Admin = deps.kafka.admin();
    await admin.connect();
    let dlqMaxMessageBytes: number | undefined;
    try {
      await admin.ensureTopics(
        [settings.topics.predictions, settings.topics.labels, settings.topics.dlq].map((topic) => ({
          topic,
          partitions: settings.topicPartitions,
          replicationFactor: settings.replicationFactor,
        })),
      );
      dlqMaxMessageBytes = await admin
        .topicMaxMessageBytes(settings.topics.dlq)
        .catch((error: unknown) => {
          this.logger.warn(
            { err: error, topic: settings.topics.dlq },
            "cannot read the DLQ topic's max.message.bytes; assuming Kafka's default",
          );
          return undefined;
        });
    } finally {
      await admin.close();
    }
    const producer = deps.kafka.producer();
    await producer.connect();
    this.producer = producer;
    const consumer = deps.kafka.consumerGroup({
      groupId: settings.groupId,
      topics: [settings.topics.predictions, settings.topics.labels],
      fromBeginning: true,
      sessionTimeoutMs: settings.sessionTimeoutMs,
      // Small fetches keep few records alive at once (memory); fetching ahead hides the round trip.
      maxBytes: 1024 * 1024,
      maxBytesPerPartition: 512 * 1024,
      prefetchBatches: 4,
    });
    this.consumer = consumer;
    const dlq = new DeadLetterSender({
      producer,
      topic: settings.topics.dlq,
      maxMessageBytes: dlqMaxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      logger: this.logger,
      onTruncated: () => deps.metrics.dlqTruncated.inc(),
      onUnsendable: () => deps.metrics.dlqUnsendable.inc(),
    });
    this.writer = new BatchWriter({
      engine: deps.engine,
      database: settings.database,
      dlq,
      consumer,
      positions: this.positions,
      metrics: deps.metrics,
      backoff: settings.retry,
      logger: this.logger,
      onFailing: () => consumer.pause(consumer.assignment()),
      onRecovered: () => consumer.resume(consumer.assignment()),
    });
    consumer.onAssignment((assigned) => {
      this.joined = true;
      this.deps.metrics.consumerLag.reset();
      this.logger.info({ assigned }, "partitions assigned");
      // After any (re)join kafkajs fetches from the committed offsets again: whatever is pending
      // from before (e.g. a consumer restarted by kafkajs after a crash) would be read twice.
      this.discardPending("group joined");
    });
    consumer.onRebalancing(() => this.discardPending("rebalance"));
    consumer.onCrash((error) => this.fatal(error));
    const tick = Math.max(20, Math.min(250, Math.floor(settings.batchMaxWaitMs / 4)));
    this.timer = setInterval(() => {
      this.flushIfDue();
      this.refreshGateIfStale();
    }, tick);
    await consumer.start((batch, context) => this.handle(batch, context));
    this.logger.info(
      { groupId: settings.groupId, topics: settings.topics, database: settings.database },
      "ingester started",
    );
  }

  /**
   * Write the batch in hand, commit and leave the group. Resolves true when everything consumed
   * was stored and committed, false when the grace period ran out (the rest will be redelivered).
   */
  async stop(): Promise<boolean> {
    if (this.stopping) return this.clean;
    this.stopping = true;
    // Only what happens from here on decides: earlier trouble was retried or redelivered.
    this.clean = true;
    clearInterval(this.timer);
    const deadline = setTimeout(
      () => this.abandon.abort(),
      this.settings.shutdownGraceMs ?? 30_000,
    );
    try {
      await this.rotate();
      await this.inFlight;
    } finally {
      clearTimeout(deadline);
    }
    await this.consumer?.stop();
    await this.producer?.close();
    this.logger.info({ clean: this.clean }, "ingester stopped");
    return this.clean;
  }

  private async handle(batch: RecordBatch, context: BatchContext): Promise<void> {
    if (this.stopping) return;
    const epoch = this.epoch;
    try {
      if (!this.positions.loaded || this.gate?.loaded === false) await this.loadPositions(context);
      if (this.stopping || epoch !== this.epoch) return;
      intakeBatch(batch, this.current, this.intake);
      const last = batch.records[batch.records.length - 1];
      if (last !== undefined) {
        this.deps.metrics.consumerLag
          .labels(batch.topic, String(batch.partition))
          .set(Math.max(0, batch.highWatermark - last.offset - 1));
      }
      if (this.isFull(this.current)) await this.rotate(context);
    } catch (error) {
      if (error instanceof HeartbeatError) {
        // The group is rebalancing: drop what is not yet being written and let kafkajs rejoin.
        this.discardPending("heartbeat failed");
        throw error.cause;
      }
      this.fatal(error as Error);
      throw error;
    }
  }

  /**
   * Read the stored positions (after the batch being written settled) and the models counted by
   * the gate, retrying while ClickHouse is down.
   */
  private async loadPositions(context: BatchContext): Promise<void> {
    if (this.inFlight !== undefined) await this.waitForWrite(context);
    for (let failures = 0; ; failures++) {
      try {
        if (!this.positions.loaded) {
          await this.positions.load([
            this.settings.topics.predictions,
            this.settings.topics.labels,
          ]);
        }
        if (this.gate?.loaded === false) await this.gate.load();
        return;
      } catch (error) {
        const delay = backoffDelayMs(this.settings.retry, failures);
        this.logger.warn(
          { err: error, retryInMs: delay },
          "cannot read stored positions; retrying",
        );
        const until = Date.now() + delay;
        while (Date.now() < until && !this.stopping) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(HEARTBEAT_EVERY_MS, delay)));
          await heartbeat(context);
        }
        if (this.stopping) return;
      }
    }
  }

  private async waitForWrite(context: BatchContext | undefined): Promise<void> {
    if (this.inFlight === undefined) return;
    const started = performance.now();
    while (this.inFlight !== undefined) {
      await settleWithin(this.inFlight, HEARTBEAT_EVERY_MS);
      if (context !== undefined && this.inFlight !== undefined) await heartbeat(context);
    }
    if (context !== undefined) {
      this.deps.metrics.backpressureSeconds.inc((performance.now() - started) / 1000);
    }
  }

  /** Hand the pending batch to the writer once the previous write finished. */
  private async rotate(context?: BatchContext): Promise<void> {
    await this.waitForWrite(context);
    const batch = this.current;
    if (batch.isEmpty) return;
    this.current = this.newBatch();
    const writer = this.writer;
    if (writer === undefined) return;
    this.inFlight = writer
      .write(batch, this.abandon.signal)
      .then(
        (outcome) => {
          if (outcome === "commit_failed") this.clean = false;
        },
        (error: unknown) => {
          this.forgetKeys(batch);
          this.clean = false;
          if (error instanceof BatchAbandonedError) {
            this.logger.warn({ messages: batch.messages }, error.message);
            // Consumption was paused while failing; the redelivered messages must flow again.
            this.consumer?.resume(this.consumer.assignment());
          } else {
            this.fatal(error as Error);
          }
        },
      )
      .finally(() => {
        this.release(batch);
        this.inFlight = undefined;
        if (!this.stopping) this.flushIfDue();
      });
  }

  private isFull(batch: PendingBatch): boolean {
    return (
      batch.rows >= this.settings.batchMaxRows ||
      batch.bytes >= (this.settings.batchMaxBytes ?? DEFAULT_BATCH_MAX_BYTES)
    );
  }

  /** Read the gate's model count again in the background when it is due; failures keep the old. */
  private refreshGateIfStale(): void {
    const gate = this.gate;
    if (gate === undefined || !gate.loaded || this.refreshingGate || !gate.isStale()) return;
    this.refreshingGate = true;
    gate
      .load()
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, "cannot read the model count; keeping the last one"),
      )
      .finally(() => {
        this.refreshingGate = false;
      });
  }

  private flushIfDue(): void {
    if (this.inFlight !== undefined || this.current.isEmpty) return;
    const due =
      this.isFull(this.current) ||
      Date.now() - this.current.startedAt >= this.settings.batchMaxWaitMs;
    if (due) {
      this.rotate().catch((error: unknown) => this.fatal(error as Error));
    }
  }

  /** Throw away the batch not yet handed to the writer: kafkajs redelivers it after rejoining. */
  private discardPending(why: string): void {
    this.epoch++;
    this.abandon.abort();
    this.abandon = new AbortController();
    if (!this.current.isEmpty) {
      this.logger.info({ why, messages: this.current.messages }, "discarding uncommitted batch");
    }
    this.forgetKeys(this.current);
    this.release(this.current);
    this.current = this.newBatch();
    this.positions.invalidate();
  }

  private newBatch(): PendingBatch {
    return new PendingBatch(
      this.freeBuffers.pop() ?? createBatchBuffers(this.settings.batchMaxRows),
    );
  }

  private release(batch: PendingBatch): void {
    if (this.freeBuffers.length < 2) this.freeBuffers.push(batch.buffers);
  }

  private forgetKeys(batch: PendingBatch): void {
    this.windows.predictions.forget(batch.admittedEvents("predictions"));
    this.windows.labels.forget(batch.admittedEvents("labels"));
  }

  private fatal(error: Error): void {
    this.logger.error({ err: error }, "ingester cannot continue");
    for (const listener of this.fatalListeners.splice(0)) listener(error);
  }
}

/** A heartbeat failure (the group is rebalancing), kept apart from processing errors. */
class HeartbeatError extends Error {
  constructor(override readonly cause: unknown) {
    super("consumer group heartbeat failed");
  }
}

async function heartbeat(context: BatchContext): Promise<void> {
  try {
    await context.heartbeat();
  } catch (error) {
    throw new HeartbeatError(error);
  }
}
