// Seldon Core v2 writes each model's requests to `seldon.<namespace>.model.<name>.inputs` and its
// responses to `.outputs`: two topics whose partitions a consumer group may hand to different
// members. The forwarder re-keys both onto driftwatch's own join topic by request id (so both
// halves of one inference meet on one partition), with the side, model and original position
// in headers, and commits the Seldon offsets only after the join topic acknowledged them.
// New topics matching the configured globs are picked up every `refreshMs`.
//
// Lifecycle: `start()` subscribes to the matching topics; `stop()` finishes the batch in hand and
// leaves the group.
import picomatch from "picomatch";
import type {
  ConsumerGroup,
  KafkaClient,
  OutgoingRecord,
  Producer,
  RecordBatch,
} from "../../kafka/index.js";
import type { Logger } from "../../util/index.js";
import type { InferenceMetrics } from "./inference-metrics.js";
import { headerText, SELDON_HEADERS } from "./pair-codec.js";

export interface SeldonForwarderSettings {
  /** Globs of Seldon input topics; each pairs with its `.outputs` topic. */
  readonly inputTopics: readonly string[];
  readonly requestIdHeader: string;
  /** The join topic. */
  readonly topic: string;
  readonly groupId: string;
  readonly refreshMs: number;
  readonly sessionTimeoutMs?: number;
}

export interface SeldonForwarderDependencies {
  readonly kafka: KafkaClient;
  readonly logger: Logger;
  readonly metrics: InferenceMetrics;
}

const SELDON_TOPIC = /^seldon\.([^.]+)\.model\.(.+)\.(inputs|outputs)$/;

/** The model a Seldon topic belongs to, and whether it holds requests or responses. */
export function seldonTopicParts(
  topic: string,
): { namespace: string; model: string; side: "request" | "response" } | undefined {
  const match = SELDON_TOPIC.exec(topic);
  if (match === null) return undefined;
  return {
    namespace: match[1]!,
    model: match[2]!,
    side: match[3] === "inputs" ? "request" : "response",
  };
}

/** The Seldon topics to follow among `existing`: matching inputs and their outputs. */
export function matchSeldonTopics(globs: readonly string[], existing: readonly string[]): string[] {
  const matches = picomatch([...globs], { dot: true });
  const present = new Set(existing);
  const chosen = new Set<string>();
  for (const topic of existing) {
    if (!topic.endsWith(".inputs") || !matches(topic)) continue;
    if (seldonTopicParts(topic) === undefined) continue;
    chosen.add(topic);
    const outputs = `${topic.slice(0, -".inputs".length)}.outputs`;
    if (present.has(outputs)) chosen.add(outputs);
  }
  return [...chosen].sort();
}

export class SeldonForwarder {
  private consumer?: ConsumerGroup;
  private producer?: Producer;
  private topics: string[] = [];
  private timer?: NodeJS.Timeout;
  private refreshing = false;
  private stopping = false;
  private readonly fatalListeners: ((error: Error) => void)[] = [];

  constructor(
    private readonly settings: SeldonForwarderSettings,
    private readonly deps: SeldonForwarderDependencies,
  ) {}

  onFatal(listener: (error: Error) => void): void {
    this.fatalListeners.push(listener);
  }

  /** The Seldon topics followed now. */
  get followed(): readonly string[] {
    return this.topics;
  }

  async start(): Promise<void> {
    const producer = this.deps.kafka.producer();
    await producer.connect();
    this.producer = producer;
    await this.refresh();
    this.timer = setInterval(() => {
      if (this.refreshing || this.stopping) return;
      this.refresh().catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, "cannot look for new Seldon topics; retrying later"),
      );
    }, this.settings.refreshMs);
  }

  async stop(): Promise<boolean> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.consumer?.stop();
    await this.producer?.close();
    return true;
  }

  /** Follow the topics matching now (a new consumer when the set changed). */
  async refresh(): Promise<void> {
    this.refreshing = true;
    try {
      const admin = this.deps.kafka.admin();
      await admin.connect();
      let existing: string[];
      try {
        existing = await admin.listTopics();
      } finally {
        await admin.close();
      }
      const topics = matchSeldonTopics(this.settings.inputTopics, existing);
      if (this.stopping || topics.join("\n") === this.topics.join("\n")) return;
      await this.consumer?.stop();
      this.consumer = undefined;
      this.topics = topics;
      if (topics.length === 0) {
        this.deps.logger.info({ globs: this.settings.inputTopics }, "no Seldon topic matches yet");
        return;
      }
      const consumer = this.deps.kafka.consumerGroup({
        groupId: this.settings.groupId,
        topics,
        fromBeginning: true,
        sessionTimeoutMs: this.settings.sessionTimeoutMs,
      });
      consumer.onCrash((error) => {
        this.deps.logger.error({ err: error }, "Seldon forwarder cannot continue");
        for (const listener of this.fatalListeners.splice(0)) listener(error);
      });
      this.consumer = consumer;
      await consumer.start((batch) => this.forward(batch, consumer));
      this.deps.logger.info({ topics }, "forwarding Seldon topics");
    } finally {
      this.refreshing = false;
    }
  }

  private async forward(batch: RecordBatch, consumer: ConsumerGroup): Promise<void> {
    const last = batch.records[batch.records.length - 1];
    const parts = seldonTopicParts(batch.topic);
    if (last === undefined || parts === undefined) return;
    const records: OutgoingRecord[] = batch.records.map((record) => {
      const requestId =
        headerText(record, this.settings.requestIdHeader.toLowerCase()) ??
        headerText(record, this.settings.requestIdHeader) ??
        record.key?.toString("utf8") ??
        "";
      const headers: Record<string, string | Buffer> = {};
      for (const [name, value] of Object.entries(record.headers)) {
        if (value !== undefined && !name.startsWith("dw-")) headers[name] = value;
      }
      headers[SELDON_HEADERS.side] = parts.side;
      headers[SELDON_HEADERS.model] = parts.model;
      headers[SELDON_HEADERS.requestId] = requestId;
      headers[SELDON_HEADERS.origin] = `${batch.topic}/${batch.partition}/${record.offset}`;
      headers[SELDON_HEADERS.timestamp] = String(record.timestampMs);
      return {
        key: requestId === "" ? null : requestId,
        value: record.value ?? Buffer.alloc(0),
        headers,
      };
    });
    await this.producer!.send(this.settings.topic, records);
    this.deps.metrics.forwarded.labels("seldon").inc(records.length);
    await consumer.commit([
      { topic: batch.topic, partition: batch.partition, offset: last.offset + 1 },
    ]);
  }
}
