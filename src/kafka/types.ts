// The narrow Kafka interface driftwatch codes against (records, consumer group, producer, admin).
// Only src/kafka/kafkajs-*.ts know kafkajs; a maintained client can replace them behind this file.

/** A topic and one of its partitions. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A position in a partition: `offset` is the offset of the NEXT record to read. */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
}

/** A record header value as it travelled (Kafka headers are bytes). */
export type HeaderValue = Buffer | string;

/** One record as consumed: bytes exactly as the producer sent them. */
export interface KafkaRecord {
  readonly offset: number;
  /** Record timestamp in epoch milliseconds (create time or log-append time). */
  readonly timestampMs: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, HeaderValue | undefined>>;
}

/** Records of one partition delivered together, in offset order. */
export interface RecordBatch extends TopicPartition {
  readonly records: readonly KafkaRecord[];
  /** Offset the next produced record of this partition will get (the log end). */
  readonly highWatermark: number;
}

/** What a batch handler may do while it holds a batch. */
export interface BatchContext {
  /** Keep group membership alive during long work; throws when the group is rebalancing. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping: finish quickly. */
  isRunning(): boolean;
}

export type BatchHandler = (batch: RecordBatch, context: BatchContext) => Promise<void>;

/** Listener for a completed group join: the partitions now owned by this member. */
export type AssignmentListener = (assigned: readonly TopicPartition[]) => void;

export interface ConsumerGroupOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group with no committed offset starts (driftwatch: always the earliest). */
  readonly fromBeginning: boolean;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Upper bound of one fetch response and of one partition's share of it. */
  readonly maxBytes?: number;
  readonly maxBytesPerPartition?: number;
  /** How long the broker may hold a fetch waiting for data. */
  readonly maxWaitTimeMs?: number;
  /**
   * Batches fetched ahead while the handler works (0: the next fetch waits for the handler).
   * Handlers still run one at a time, in order; a handler error surfaces at the next delivery.
   */
  readonly prefetchBatches?: number;
}

/**
 * A consumer-group member with manual commits. Lifecycle: `start(handler)` joins the group and
 * delivers batches until `stop()`; `commit` stores positions only when called (never automatically).
 */
export interface ConsumerGroup {
  start(handler: BatchHandler): Promise<void>;
  /** Store `offset` (next record to read) as the group's position for each partition. */
  commit(positions: readonly TopicPartitionOffset[]): Promise<void>;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Continue a partition from `offset` at the next fetch. */
  seek(position: TopicPartitionOffset): void;
  /** Partitions this member owns since the last join. */
  assignment(): readonly TopicPartition[];
  onAssignment(listener: AssignmentListener): void;
  /** Called synchronously when a rebalance was detected, before the member rejoins. */
  onRebalancing(listener: () => void): void;
  /** Called when the client gave up for good (the member is no longer consuming). */
  onCrash(listener: (error: Error) => void): void;
  /** Finish the batch in hand, leave the group and disconnect. */
  stop(): Promise<void>;
}

/** A record to produce; `value` bytes are sent as given. */
export interface OutgoingRecord {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
  readonly partition?: number;
}

/** Lifecycle: `connect()`, then `send` (acknowledged by all in-sync replicas), then `close()`. */
export interface Producer {
  connect(): Promise<void>;
  /**
   * Resolves when the brokers acknowledged every record, rejects otherwise: with
   * KafkaRecordsRejectedError when the broker refused the records themselves (e.g. too large).
   */
  send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

/** Low and high watermark of one partition. */
export interface PartitionWatermarks {
  readonly partition: number;
  readonly low: number;
  readonly high: number;
}

/** Lifecycle: `connect()`, calls, `close()`. */
export interface Admin {
  connect(): Promise<void>;
  /** Create the topics that do not exist yet; existing ones are left as they are. */
  ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
  listTopics(): Promise<string[]>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  watermarks(topic: string): Promise<PartitionWatermarks[]>;
  /** The group's committed positions (−1 where none is committed). */
  committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]>;
  /**
   * Per partition, the first offset whose record timestamp is at or after `timestampMs` (the log
   * end when none is).
   */
  offsetsForTimestamp(
    topic: string,
    timestampMs: number,
  ): Promise<{ partition: number; offset: number }[]>;
  /** The topic's `max.message.bytes` (largest record batch it accepts), if the broker says. */
  topicMaxMessageBytes(topic: string): Promise<number | undefined>;
  close(): Promise<void>;
}

/** Factory for the three roles; one per process and broker set. */
export interface KafkaClient {
  consumerGroup(options: ConsumerGroupOptions): ConsumerGroup;
  producer(): Producer;
  admin(): Admin;
}
