// Admin on kafkajs: topic creation that tolerates existing topics, watermarks and group positions.
import type { Admin as KafkajsAdminClient, Kafka } from "kafkajs";

/** kafkajs' ConfigResourceTypes.TOPIC (not a named ESM export of the CommonJS package). */
const TOPIC_RESOURCE = 2;
import type { Admin, PartitionWatermarks, TopicPartitionOffset, TopicSpec } from "./types.js";

export class KafkajsAdmin implements Admin {
  private readonly admin: KafkajsAdminClient;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }

  async connect(): Promise<void> {
    await this.admin.connect();
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) return;
    // createTopics resolves false (not an error) for topics another process created meanwhile.
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.topic,
        numPartitions: spec.partitions,
        replicationFactor: spec.replicationFactor,
      })),
    });
    // Metadata of a fresh topic can lag behind its creation; wait until every one is visible.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const visible = new Set(await this.admin.listTopics());
      if (missing.every((spec) => visible.has(spec.topic))) return;
      if (Date.now() > deadline) {
        const absent = missing.filter((spec) => !visible.has(spec.topic)).map((s) => s.topic);
        throw new Error(`topics not visible after creation: ${absent.join(", ")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    if (topics.length > 0) await this.admin.deleteTopics({ topics: [...topics] });
  }

  async watermarks(topic: string): Promise<PartitionWatermarks[]> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets
      .map((entry) => ({
        partition: entry.partition,
        low: Number(entry.low),
        high: Number(entry.high),
      }))
      .sort((a, b) => a.partition - b.partition);
  }

  async committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    const [entry] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    return (entry?.partitions ?? []).map((partition) => ({
      topic,
      partition: partition.partition,
      offset: Number(partition.offset),
    }));
  }

  async offsetsForTimestamp(
    topic: string,
    timestampMs: number,
  ): Promise<{ partition: number; offset: number }[]> {
    const offsets = await this.admin.fetchTopicOffsetsByTimestamp(topic, Math.floor(timestampMs));
    return offsets
      .map((entry) => ({ partition: entry.partition, offset: Number(entry.offset) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async topicMaxMessageBytes(topic: string): Promise<number | undefined> {
    const described = await this.admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ["max.message.bytes"] }],
    });
    const entry = described.resources[0]?.configEntries.find(
      (config) => config.configName === "max.message.bytes",
    );
    const bytes = Number(entry?.configValue);
    return Number.isInteger(bytes) && bytes > 0 ? bytes : undefined;
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
  }
}
