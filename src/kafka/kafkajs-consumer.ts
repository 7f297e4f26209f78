// ConsumerGroup on kafkajs: manual commits only, batches delivered one partition at a time,
// assignment and rebalance notifications taken from kafkajs' instrumentation events.
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from "kafkajs";
import { PrefetchQueue } from "./prefetch-queue.js";
import type {
  AssignmentListener,
  BatchHandler,
  ConsumerGroup,
  ConsumerGroupOptions,
  HeaderValue,
  KafkaRecord,
  TopicPartition,
  TopicPartitionOffset,
} from "./types.js";

const NO_HEADERS: Readonly<Record<string, HeaderValue | undefined>> = Object.freeze({});

function toHeaders(
  headers: IHeaders | undefined,
): Readonly<Record<string, HeaderValue | undefined>> {
  if (headers === undefined) return NO_HEADERS;
  let result: Record<string, HeaderValue | undefined> | undefined;
  for (const name in headers) {
    const value = headers[name];
    result ??= {};
    // kafkajs gives an array when a header name repeats; the last one wins here.
    result[name] = Array.isArray(value) ? value[value.length - 1] : value;
  }
  return result ?? NO_HEADERS;
}

function toRecord(message: KafkaMessage): KafkaRecord {
  return {
    offset: Number(message.offset),
    timestampMs: Number(message.timestamp),
    key: message.key ?? null,
    value: message.value ?? null,
    headers: toHeaders(message.headers),
  };
}

function byTopic(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const grouped = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const list = grouped.get(topic) ?? [];
    list.push(partition);
    grouped.set(topic, list);
  }
  return [...grouped].map(([topic, list]) => ({ topic, partitions: list }));
}

export class KafkajsConsumerGroup implements ConsumerGroup {
  private readonly consumer: Consumer;
  private readonly assignmentListeners: AssignmentListener[] = [];
  private readonly rebalancingListeners: (() => void)[] = [];
  private readonly crashListeners: ((error: Error) => void)[] = [];
  private assigned: TopicPartition[] = [];
  private started = false;
  private prefetch?: PrefetchQueue;

  constructor(
    kafka: Kafka,
    private readonly options: ConsumerGroupOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 1_000,
      rebalanceTimeout: 60_000,
      maxBytes: options.maxBytes ?? 16 * 1024 * 1024,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 4 * 1024 * 1024,
      maxWaitTimeInMs: options.maxWaitTimeMs ?? 500,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    const { GROUP_JOIN, REBALANCING, CRASH } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (event) => {
      // Batches fetched before the (re)join are read again from the committed offsets.
      this.prefetch?.clear();
      this.assigned = Object.entries(event.payload.memberAssignment).flatMap(
        ([topic, partitions]) => partitions.map((partition) => ({ topic, partition })),
      );
      for (const listener of this.assignmentListeners) listener(this.assigned);
    });
    this.consumer.on(REBALANCING, () => {
      this.prefetch?.clear();
      for (const listener of this.rebalancingListeners) listener();
    });
    this.consumer.on(CRASH, (event) => {
      if (event.payload.restart) return;
      for (const listener of this.crashListeners) listener(event.payload.error);
    });
  }

  async start(handler: BatchHandler): Promise<void> {
    if (this.started) throw new Error("consumer group already started");
    this.started = true;
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.options.topics],
      fromBeginning: this.options.fromBeginning,
    });
    const prefetch = (this.options.prefetchBatches ?? 0) > 0;
    if (prefetch) this.prefetch = new PrefetchQueue(handler, this.options.prefetchBatches!);
    const deliver = this.prefetch?.deliver.bind(this.prefetch) ?? handler;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: 1,
      eachBatch: async (payload: EachBatchPayload) => {
        const { batch } = payload;
        await deliver(
          {
            topic: batch.topic,
            partition: batch.partition,
            highWatermark: Number(batch.highWatermark),
            records: batch.messages.map(toRecord),
          },
          { heartbeat: () => payload.heartbeat(), isRunning: () => payload.isRunning() },
        );
      },
    });
  }

  async commit(positions: readonly TopicPartitionOffset[]): Promise<void> {
    if (positions.length === 0) return;
    await this.consumer.commitOffsets(
      positions.map(({ topic, partition, offset }) => ({
        topic,
        partition,
        offset: String(offset),
      })),
    );
  }

  pause(partitions: readonly TopicPartition[]): void {
    if (partitions.length > 0) this.consumer.pause(byTopic(partitions));
  }

  resume(partitions: readonly TopicPartition[]): void {
    if (partitions.length > 0) this.consumer.resume(byTopic(partitions));
  }

  seek({ topic, partition, offset }: TopicPartitionOffset): void {
    this.consumer.seek({ topic, partition, offset: String(offset) });
  }

  assignment(): readonly TopicPartition[] {
    return this.assigned;
  }

  onAssignment(listener: AssignmentListener): void {
    this.assignmentListeners.push(listener);
  }

  onRebalancing(listener: () => void): void {
    this.rebalancingListeners.push(listener);
  }

  onCrash(listener: (error: Error) => void): void {
    this.crashListeners.push(listener);
  }

  async stop(): Promise<void> {
    await this.prefetch?.stop();
    await this.consumer.disconnect();
  }
}
