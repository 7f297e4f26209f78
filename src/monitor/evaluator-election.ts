// Elects the one instance that evaluates windows: every monitor joins one consumer group on the
// single-partition control topic, and the member assigned partition 0 is the evaluator. When it
// dies or leaves, Kafka's rebalance hands the partition (and the evaluation) to another member.
// Membership changes are only observed here; the monitor asks `isLeader()` before each pass and
// each window, and is told when this instance wins the role (to start a pass at once).
import type { KafkaClient, ConsumerGroup } from "../kafka/index.js";
import type { Logger } from "../util/index.js";

export interface ElectionOptions {
  readonly kafka: KafkaClient;
  readonly topic: string;
  readonly groupId: string;
  readonly replicationFactor: number;
  readonly logger: Logger;
  /** How long a dead evaluator keeps the role before another member takes over. */
  readonly sessionTimeoutMs?: number;
  /** Called when this member becomes the evaluator. */
  readonly onElected?: () => void;
}

export class EvaluatorElection {
  private group: ConsumerGroup | undefined;
  private leader = false;
  private failure = "";

  constructor(private readonly options: ElectionOptions) {}

  isLeader(): boolean {
    return this.leader;
  }

  /** Empty while the membership is healthy, else why not. */
  problem(): string {
    return this.failure;
  }

  async start(): Promise<void> {
    const { kafka, topic, groupId, logger } = this.options;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.ensureTopics([
        { topic, partitions: 1, replicationFactor: this.options.replicationFactor },
      ]);
    } finally {
      await admin.close();
    }
    const sessionTimeoutMs = this.options.sessionTimeoutMs ?? 10_000;
    const group = kafka.consumerGroup({
      groupId,
      topics: [topic],
      fromBeginning: false,
      sessionTimeoutMs,
      heartbeatIntervalMs: Math.max(500, Math.floor(sessionTimeoutMs / 5)),
    });
    group.onAssignment((assigned) => {
      const owns = assigned.some((part) => part.topic === topic && part.partition === 0);
      const changed = owns !== this.leader;
      if (changed) logger.info({ topic, groupId, evaluator: owns }, "evaluator election");
      this.leader = owns;
      if (changed && owns) this.options.onElected?.();
    });
    group.onRebalancing(() => {
      this.leader = false;
    });
    group.onCrash((error) => {
      this.leader = false;
      this.failure = `evaluator election failed: ${error.message}`;
      logger.error({ err: error }, "evaluator election: consumer crashed");
    });
    this.group = group;
    // Nothing is produced to the control topic; the handler only keeps the membership alive.
    await group.start(async () => undefined);
  }

  async stop(): Promise<void> {
    this.leader = false;
    const group = this.group;
    this.group = undefined;
    await group?.stop();
  }
}
